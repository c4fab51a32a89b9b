package dev.vmforge.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * Files on the host (caches, {@code target/}), as opposed to the file trees of {@code fs}: removing a tree,
 * forcing bytes to disk, and replacing a file so that readers see the old or the new content, never a part.
 */
public final class HostFiles {
    private HostFiles() {
    }

    /** Deletes a file or a directory tree if present (symbolic links are removed, not followed). */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** {@link #deleteRecursively} for clean-up paths where a failure must not hide the real error. */
    public static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException ignored) {
            // what is left is cleaned by the next build (temporary names are recognised as stale)
        }
    }

    /** fsync of a file or a directory (Linux and macOS sync a directory opened for reading). */
    public static void force(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(path)) {
                throw e; // some platforms cannot sync a directory; a file must be synced
            }
        }
    }

    /**
     * Records that a cache file is in use, as its modification time (what {@code vm:gc} reads as its last use).
     * A cache on a read-only file system cannot record it; that only makes the file look older to a collection.
     *
     * @return false when the file is gone (removed by a collection): the caller fetches or builds it again
     */
    public static boolean markUsed(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return Files.exists(file);
        }
    }

    /** Writes {@code content} to a temporary file beside {@code target}, forces it to disk and renames it. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path temp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".part");
        try {
            Files.write(temp, content);
            force(temp);
            replace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Renames {@code source} over {@code target} atomically where the file system can, then syncs the directory. */
    public static void replace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        force(target.toAbsolutePath().getParent());
    }
}
