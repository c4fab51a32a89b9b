package dev.vmforge.image;

import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TarWriter;
import dev.vmforge.os.InvalidConfigurationException;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The disk image's last partition: the application's files as a plain tar, no file system. The host writes
 * it into a copy of the system's image without a VM, so a code change rebuilds neither the system nor its
 * image; the guest's rcS unpacks it onto the root file system at each boot (see {@code BusyboxInit}).
 *
 * <p>The tar's first entry is {@link #MARKER}, holding the application's key: rcS unpacks the partition only
 * when its first bytes are that name, so an empty partition (a run-vm disk whose application comes over 9p)
 * is left alone.
 */
public final class ApplicationPartitionFormat {
    /** Name of the tar's first entry, which rcS looks for at the start of the partition. */
    public static final String MARKER = ".vmforge-application";
    /** Smallest partition: the application can grow this far without a new system image. */
    static final long MIN_BYTES = 16 * PartitionLayout.MIB;

    private ApplicationPartitionFormat() {
    }

    /**
     * The partition size for a tar of {@code tarBytes}: at least twice that, in powers of two from 16 MiB,
     * so that the size (part of the system image's key) stays the same across ordinary code changes.
     */
    public static long sizeFor(long tarBytes) {
        long bytes = MIN_BYTES;
        while (bytes < 2 * tarBytes) {
            bytes *= 2;
        }
        return bytes;
    }

    /** Writes the partition's tar: the marker, then {@code application}'s files. */
    public static void write(FileTree application, String key, long mtime, OutputStream out) throws IOException {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file(MARKER, 0644, key + "\n").withMtime(mtime));
        tree.addAll(application);
        String first = tree.entries().iterator().next().path();
        if (!first.equals(MARKER)) {
            // the tar is written in path order; rcS reads the marker from the partition's first bytes
            throw new InvalidConfigurationException("operatingSystem/application/directory", "'/" + first
                    + "' sorts before " + MARKER + ", which must come first in the application partition:"
                    + " start the directory's name with a letter or a digit, e.g. /opt/app");
        }
        new TarWriter(mtime).write(tree, out);
    }
}
