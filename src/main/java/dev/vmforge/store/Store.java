package dev.vmforge.store;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.fs.DiskSpace;
import dev.vmforge.fs.HostFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A directory of derivation outputs, one directory per entry named {@code KEY-NAME}. An entry is built under a
 * temporary name ({@code .tmp-KEY-PID-NAME}), given a {@link Manifest} of its files, forced to disk and renamed
 * into place, all under a per-key lock, so two Maven processes sharing the directory build it once and never
 * see a half-written one. An entry whose manifest is missing or does not match its files is discarded with a
 * warning and rebuilt, never used. Temporary entries left by a build that died are removed by the next one.
 */
public final class Store {
    /** Locks within this JVM; file locks alone throw when two threads of one process take the same one. */
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();
    static final String TEMPORARY = ".tmp-";
    static final String DISCARDED = ".discarded-";

    private final Path root;
    private final BuildLog log;
    private volatile boolean staleEntriesRemoved;
    /** The entries this goal found or built here: what {@link StoreSweeper#removeSuperseded} keeps. */
    private final Set<Path> used = ConcurrentHashMap.newKeySet();

    public Store(Path root, BuildLog log) {
        this.root = root.toAbsolutePath().normalize();
        this.log = log;
    }

    public Path root() {
        return root;
    }

    /** Writes one output into an empty directory. */
    @FunctionalInterface
    public interface Builder {
        void build(Path output) throws IOException, InterruptedException;
    }

    Path pathOf(DerivationKey key, String name) {
        return root.resolve(key.shortHex() + "-" + name);
    }

    /** The valid entry for {@code key}, checked as asked; an invalid one is discarded (with a warning). */
    Optional<Path> find(DerivationKey key, String name, Manifest.Check check) {
        removeStaleEntries();
        Path entry = pathOf(key, name);
        if (!Files.exists(entry)) {
            return Optional.empty();
        }
        Optional<String> problem = Manifest.problem(entry, key, check);
        if (problem.isEmpty()) {
            return markUsed(key, entry);
        }
        withLock(key, () -> {
            // another process may have replaced it with a good one while we checked
            Optional<String> still = Files.exists(entry) ? Manifest.problem(entry, key, check) : Optional.empty();
            if (still.isPresent()) {
                discard(entry, still.get());
            }
            return null;
        });
        return Optional.empty();
    }

    /** Builds the entry for {@code key} unless another process finished it while this one waited for the lock. */
    Path build(DerivationKey key, String name, Manifest.Check check, Builder builder) {
        removeStaleEntries();
        Path entry = pathOf(key, name);
        return withLock(key, entry.getFileName().toString(), () -> {
            if (Files.exists(entry)) {
                Optional<String> problem = Manifest.problem(entry, key, check);
                if (problem.isEmpty()) {
                    HostFiles.markUsed(entry.resolve(Manifest.FILE_NAME));
                    used.add(entry);
                    return entry; // built by another process while we waited
                }
                discard(entry, problem.get());
            }
            Path temp = root.resolve(TEMPORARY + key.shortHex() + "-" + ProcessHandle.current().pid() + "-" + name);
            HostFiles.deleteRecursively(temp);
            try {
                Files.createDirectories(temp);
                builder.build(temp);
                Manifest.write(temp, key);
                moveAtomically(temp, entry);
                HostFiles.force(root);
            } finally {
                HostFiles.deleteQuietly(temp);
            }
            used.add(entry);
            return entry;
        });
    }

    /**
     * Records the entry's use as its manifest's time (what a collection reads), under the key's lock: a collection
     * holds that lock while it removes an entry, so either it ran first (the entry is gone: it is built again) or it
     * sees the new time and keeps the entry.
     */
    private Optional<Path> markUsed(DerivationKey key, Path entry) {
        return withLock(key, () -> {
            if (!HostFiles.markUsed(entry.resolve(Manifest.FILE_NAME))) {
                return Optional.empty();
            }
            used.add(entry);
            return Optional.of(entry);
        });
    }

    /** Records the use of the entry of {@code key} if there is one and no other build holds its lock. */
    void recordUse(DerivationKey key, String name) {
        Path entry = pathOf(key, name);
        if (!Files.isDirectory(entry)) {
            return;
        }
        try (KeyLock lock = tryLock(key.shortHex())) {
            if (lock != null && HostFiles.markUsed(entry.resolve(Manifest.FILE_NAME))) {
                used.add(entry);
            }
        } catch (IOException e) {
            log.debug("cannot record the use of " + entry + ": " + e.getMessage());
        }
    }

    /** The entries this store object found or built. */
    Set<Path> used() {
        return Set.copyOf(used);
    }

    /** The time an entry was last used: its manifest's time, else (no manifest: unfinished) the directory's. */
    static Instant lastUse(Path entry) throws IOException {
        Path manifest = entry.resolve(Manifest.FILE_NAME);
        return Files.getLastModifiedTime(Files.isRegularFile(manifest) ? manifest : entry).toInstant();
    }

    /** Removes an entry that failed a check, saying why; the next realization rebuilds it. */
    void discard(Path entry, String problem) {
        log.warn("Discarding the store entry " + entry + ": " + problem + "; it will be rebuilt");
        Path aside = root.resolve(DISCARDED + entry.getFileName() + "-" + ProcessHandle.current().pid());
        try {
            moveAtomically(entry, aside);
            HostFiles.deleteRecursively(aside);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the invalid store entry " + entry, e);
        }
    }

    private interface Locked<T> {
        T run() throws IOException, InterruptedException;
    }

    private <T> T withLock(DerivationKey key, Locked<T> action) {
        return withLock(key, key.shortHex(), action);
    }

    private <T> T withLock(DerivationKey key, String entryName, Locked<T> action) {
        try {
            Files.createDirectories(root.resolve(".locks"));
            Path lockFile = root.resolve(".locks").resolve(key.shortHex() + ".lock");
            ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
            jvmLock.lock();
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = jvmLock.getHoldCount() > 1 ? null : channel.lock()) {
                return action.run();
            } finally {
                jvmLock.unlock();
            }
        } catch (IOException e) {
            throw DiskSpace.explain(new IOException("store " + root + ": " + e.getMessage(), e), root,
                    "the store entry " + entryName);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while building into " + root, e);
        }
    }

    /**
     * Deletes temporary and discarded entries whose key nobody holds the lock of: what a killed build left.
     * Done once per store and process, before the first use.
     */
    private void removeStaleEntries() {
        if (staleEntriesRemoved || !Files.isDirectory(root)) {
            return;
        }
        staleEntriesRemoved = true;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root,
                p -> p.getFileName().toString().startsWith(TEMPORARY)
                        || p.getFileName().toString().startsWith(DISCARDED))) {
            for (Path stale : entries) {
                String name = stale.getFileName().toString();
                String shortKey = name.substring(name.indexOf('-') + 1).split("-", 2)[0];
                if (name.startsWith(DISCARDED) || !lockedElsewhere(shortKey)) {
                    log.debug("removing " + stale + ", left by a build that did not finish");
                    HostFiles.deleteRecursively(stale);
                }
            }
        } catch (IOException e) {
            log.warn("could not remove what an unfinished build left in " + root + ": " + e.getMessage());
        }
    }

    /** Whether a build (this process's or another's) holds the lock of the key starting with {@code shortKey}. */
    private boolean lockedElsewhere(String shortKey) throws IOException {
        if (!Files.exists(root.resolve(".locks").resolve(shortKey + ".lock"))) {
            return false;
        }
        try (KeyLock lock = tryLock(shortKey)) {
            return lock == null;
        }
    }

    /**
     * The lock of the key starting with {@code shortKey} when nobody holds it, else null (never waits): this
     * thread holds it (a derivation realizing its inputs), another thread or another process does.
     */
    KeyLock tryLock(String shortKey) throws IOException {
        Path lockFile = root.resolve(".locks").resolve(shortKey + ".lock");
        Files.createDirectories(lockFile.getParent());
        ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
        if (jvmLock.isHeldByCurrentThread() || !jvmLock.tryLock()) {
            return null;
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() != null) {
                return new KeyLock(channel, jvmLock);
            }
        } catch (OverlappingFileLockException e) {
            // held through another channel of this process
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            jvmLock.unlock();
            throw e;
        }
        closeQuietly(channel);
        jvmLock.unlock();
        return null;
    }

    /** A key's lock taken by {@link #tryLock}; closing releases it. */
    static final class KeyLock implements AutoCloseable {
        private final FileChannel channel;
        private final ReentrantLock jvmLock;

        private KeyLock(FileChannel channel, ReentrantLock jvmLock) {
            this.channel = channel;
            this.jvmLock = jvmLock;
        }

        @Override
        public void close() {
            closeQuietly(channel); // releases the file lock
            jvmLock.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the lock goes with the channel
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the store directory must be on a file system with atomic rename: " + to, e);
        }
    }
}
