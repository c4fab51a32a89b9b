package dev.vmforge.fs;

import dev.vmforge.BuildException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Free space on the host's disks, so a full disk is a clear error within seconds (naming the directory, what the
 * build needed and what is left) instead of an I/O error deep in a step or a guest waiting out its time limit.
 */
public final class DiskSpace {
    /** Below this, a failed write or step is taken to be the full disk's doing. */
    static final long NEARLY_FULL_BYTES = 16L << 20;

    private DiskSpace() {
    }

    /** Fails before the work starts when {@code directory}'s file system has less than {@code bytes} free. */
    public static void require(Path directory, long bytes, String purpose) {
        long left = usable(directory);
        if (left >= 0 && left < bytes) {
            throw full(directory, bytes, left, purpose);
        }
    }

    /**
     * The error to report for {@code e}, met while writing into {@code directory}: a clear "disk full" when the
     * file system is (nearly) full, else the I/O error as it is.
     */
    public static RuntimeException explain(IOException e, Path directory, String purpose) {
        long left = usable(directory);
        boolean noSpace = e.getMessage() != null && e.getMessage().contains("No space left on device");
        if (noSpace || (left >= 0 && left < NEARLY_FULL_BYTES)) {
            return full(directory, -1, left, purpose);
        }
        return new UncheckedIOException(e.getMessage(), e);
    }

    /** Fails naming {@code directory} when its file system is (nearly) full: why a step's writes may have failed. */
    public static void requireNotFull(Path directory, String purpose) {
        long left = usable(directory);
        if (left >= 0 && left < NEARLY_FULL_BYTES) {
            throw full(directory, -1, left, purpose);
        }
    }

    static BuildException full(Path directory, long needed, long left, String purpose) {
        return new BuildException("the disk holding " + directory + " is full: " + purpose
                + (needed > 0 ? " needs about " + mib(needed) : " could not be written") + ", "
                + mib(Math.max(0, left)) + " left. Free space there, or build elsewhere: target/ follows"
                + " <build><directory>, the shared cache -Dvm.cacheDirectory");
    }

    /** Usable bytes on the file system of {@code directory} (or its nearest existing parent); -1 if unknown. */
    static long usable(Path directory) {
        Path existing = directory.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? -1 : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
