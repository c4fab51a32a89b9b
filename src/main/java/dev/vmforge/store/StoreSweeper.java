package dev.vmforge.store;

import dev.vmforge.BuildLog;
import dev.vmforge.fs.HostFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Removes store entries nobody needs any more, never one whose key is locked: a build holds that lock while it
 * writes the entry ({@code .tmp-} entries included) and while it stamps an entry's use ({@link Store#find}), so
 * an entry is removed only after it is renamed aside under the lock, with its last use checked again there.
 * Two rules: {@link #removeUnusedSince} for {@code vm:gc}, {@link #removeSuperseded} after each goal.
 */
public final class StoreSweeper {
    /** After a goal, other entries of its derivations stay this long after their last use... */
    static final Duration SUPERSEDED_GRACE = Duration.ofDays(1);
    /** ... and this many of them at most, per derivation name (two other configurations used alternately). */
    static final int SUPERSEDED_KEPT = 2;

    private final Store store;
    private final BuildLog log;

    public StoreSweeper(Store store, BuildLog log) {
        this.store = store;
        this.log = log;
    }

    /** What a sweep removed and what it left, in entries and bytes. */
    public record Swept(int removed, long removedBytes, int kept, long keptBytes, int inUse, int unfinished,
                        long unfinishedBytes) {
    }

    /** An entry {@code KEY-NAME} with its last use. */
    private record Entry(Path path, String shortKey, String name, Instant lastUse, long bytes) {
    }

    /**
     * {@code vm:gc}: removes every entry last used before {@code cutoff}, and what unfinished builds left
     * ({@code .tmp-} entries nobody holds the lock of, {@code .discarded-} ones).
     */
    public Swept removeUnusedSince(Instant cutoff) throws IOException {
        Tally tally = new Tally();
        for (Entry entry : entries()) {
            tally.consider(entry, entry.lastUse().isBefore(cutoff), last -> last.isBefore(cutoff));
        }
        unfinished(tally);
        return tally.swept();
    }

    /**
     * After a goal, in the project's store ({@code target/vm/store}), which should hold the outputs of the current
     * configuration only: for each derivation name the goal used there, the other entries of that name are removed,
     * except the {@value #SUPERSEDED_KEPT} most recently used of them if used within the last day (so alternating
     * between two configurations, e.g. qcow2 and raw, rebuilds nothing). Other goals' derivations (a
     * build-docker-image's layers after a build-image) are left alone: their own next goal tidies them.
     */
    public Swept removeSuperseded(Instant now) throws IOException {
        Set<Path> used = store.used();
        Set<String> names = new HashSet<>();
        List<Entry> all = entries();
        for (Entry entry : all) {
            if (used.contains(entry.path())) {
                names.add(entry.name());
            }
        }
        Map<String, List<Entry>> others = new LinkedHashMap<>();
        for (Entry entry : all) {
            if (names.contains(entry.name()) && !used.contains(entry.path())) {
                others.computeIfAbsent(entry.name(), n -> new ArrayList<>()).add(entry);
            }
        }
        Tally tally = new Tally();
        Instant recent = now.minus(SUPERSEDED_GRACE);
        for (List<Entry> entries : others.values()) {
            entries.sort(Comparator.comparing(Entry::lastUse).reversed());
            for (int i = 0; i < entries.size(); i++) {
                Entry entry = entries.get(i);
                boolean keep = i < SUPERSEDED_KEPT && !entry.lastUse().isBefore(recent);
                // under the lock, the entry goes only if no goal used it since it was listed
                tally.consider(entry, !keep, last -> !last.isAfter(entry.lastUse()));
            }
        }
        return tally.swept();
    }

    private List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(store.root())) {
            return entries;
        }
        try (DirectoryStream<Path> paths = Files.newDirectoryStream(store.root(),
                p -> !p.getFileName().toString().startsWith(".") && Files.isDirectory(p))) {
            for (Path path : paths) {
                String fileName = path.getFileName().toString();
                int dash = fileName.indexOf('-');
                if (dash <= 0) {
                    continue; // not an entry of this store
                }
                try {
                    entries.add(new Entry(path, fileName.substring(0, dash), fileName.substring(dash + 1),
                            Store.lastUse(path), size(path)));
                } catch (IOException e) {
                    // removed meanwhile (by the build that discarded it)
                }
            }
        }
        return entries;
    }

    /** {@code .tmp-KEY-PID-NAME} entries of builds that died (their key is not locked) and {@code .discarded-} ones. */
    private void unfinished(Tally tally) throws IOException {
        if (!Files.isDirectory(store.root())) {
            return;
        }
        try (DirectoryStream<Path> paths = Files.newDirectoryStream(store.root(), p -> {
            String name = p.getFileName().toString();
            return name.startsWith(Store.TEMPORARY) || name.startsWith(Store.DISCARDED);
        })) {
            for (Path path : paths) {
                String name = path.getFileName().toString();
                long bytes;
                try {
                    bytes = size(path);
                } catch (IOException e) {
                    continue; // being removed by its own build
                }
                if (name.startsWith(Store.DISCARDED)) {
                    tally.unfinished(path, bytes);
                    continue;
                }
                String shortKey = name.substring(Store.TEMPORARY.length()).split("-", 2)[0];
                try (Store.KeyLock lock = store.tryLock(shortKey)) {
                    if (lock == null) {
                        tally.inUse++;
                    } else {
                        tally.unfinished(path, bytes);
                    }
                }
            }
        }
    }

    /** Counts and removes. */
    private final class Tally {
        int removed;
        long removedBytes;
        int kept;
        long keptBytes;
        int inUse;
        int unfinished;
        long unfinishedBytes;

        /**
         * Removes {@code entry} when {@code remove} says so and, under its key's lock, its last use then still
         * passes {@code stillUnused}; else counts it as kept.
         */
        void consider(Entry entry, boolean remove, Predicate<Instant> stillUnused) throws IOException {
            if (remove) {
                try (Store.KeyLock lock = store.tryLock(entry.shortKey())) {
                    if (lock == null) {
                        inUse++;
                    } else if (stillUnused.test(Store.lastUse(entry.path()))) {
                        delete(entry.path());
                        removed++;
                        removedBytes += entry.bytes();
                        return;
                    }
                } catch (NoSuchFileException e) {
                    return; // removed meanwhile
                }
            }
            kept++;
            keptBytes += entry.bytes();
        }

        void unfinished(Path path, long bytes) {
            try {
                HostFiles.deleteRecursively(path);
                unfinished++;
                unfinishedBytes += bytes;
            } catch (IOException e) {
                log.debug("could not remove " + path + ": " + e.getMessage()); // being removed by its own build
            }
        }

        Swept swept() {
            return new Swept(removed, removedBytes, kept, keptBytes, inUse, unfinished, unfinishedBytes);
        }
    }

    /** Renames the entry aside (a reader never sees it half-deleted), then deletes it. */
    private void delete(Path entry) throws IOException {
        Path aside = store.root().resolve(Store.DISCARDED + entry.getFileName() + "-" + ProcessHandle.current().pid());
        Files.move(entry, aside, StandardCopyOption.ATOMIC_MOVE);
        log.debug("removing " + entry);
        HostFiles.deleteRecursively(aside);
    }

    /** Bytes of the regular files below {@code path}. */
    static long size(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
