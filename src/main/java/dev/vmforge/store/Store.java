package dev.vmforge.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A directory of derivation outputs named {@code KEY-NAME}. An output appears only complete: it is
 * built under a temporary name and renamed into place, under a per-key file lock so that two Maven
 * processes sharing the directory build it once and never see a half-written one.
 */
public final class Store {
    /** Locks within this JVM; file locks alone throw when two threads of one process take the same one. */
    private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path root;

    public Store(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Builds a file or directory at the given temporary path. */
    @FunctionalInterface
    public interface Builder {
        void build(Path output) throws IOException, InterruptedException;
    }

    /** What {@link #realize} did, for logs and benchmarks. */
    public record Result(Path path, boolean built) {
    }

    public Path pathOf(DerivationKey key, String name) {
        return root.resolve(key.shortHex() + "-" + name);
    }

    /** Returns the output for key, running builder only when no finished output exists. */
    public Result realize(DerivationKey key, String name, Builder builder) {
        Path output = pathOf(key, name);
        if (Files.exists(output)) {
            return new Result(output, false);
        }
        try {
            Files.createDirectories(root.resolve(".locks"));
            Path lockFile = root.resolve(".locks").resolve(key.shortHex() + ".lock");
            ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(lockFile, p -> new ReentrantLock());
            jvmLock.lock();
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.exists(output)) {
                    return new Result(output, false); // another process built it while we waited
                }
                Path temp = root.resolve(".tmp-" + key.shortHex() + "-" + ProcessHandle.current().pid() + "-" + name);
                deleteRecursively(temp);
                try {
                    builder.build(temp);
                    if (!Files.exists(temp)) {
                        throw new IllegalStateException("derivation " + name + " produced no output");
                    }
                    moveAtomically(temp, output);
                } finally {
                    deleteRecursively(temp);
                }
                return new Result(output, true);
            } finally {
                jvmLock.unlock();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("store " + root + ": cannot build " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.vmforge.BuildException("interrupted while building " + name, e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the store directory must be on a file system with atomic rename: " + to, e);
        }
    }

    /** Deletes a file or directory tree if present; used to clean temporaries. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
