package dev.vmforge.fs;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a tar file written by something we do not fully trust (the builder VM's {@code tar -c} of a
 * configured root) back into a {@link FileTree}, with the same refusals as {@link DebUnpacker}: no
 * absolute names, no {@code ..}, no hard links to anything but an earlier regular file, no symlinks
 * climbing above the root, no path through such a symlink.
 *
 * <p>File contents are not loaded: each entry's {@link Content} reads its slice of the tar file when it
 * is written out, so a tree of hundreds of megabytes costs only its metadata in memory. The tar file
 * must therefore stay unchanged while the tree is used (a store output does).
 *
 * <p>Everything after the last entry must be zeros (the end-of-archive blocks and padding): a tar whose header
 * was zeroed by a damaged disk would otherwise end early and silently lose the files after it.
 */
public final class TarReader {
    private TarReader() {
    }

    /** Adds every entry of {@code tarFile} to {@code tree} (later entries replace earlier ones). */
    public static FileTree read(Path tarFile, FileTree tree) throws IOException {
        long fileSize = Files.size(tarFile);
        long end = 0;
        try (TarFile tar = new TarFile(tarFile)) {
            for (TarArchiveEntry e : tar.getEntries()) {
                end = Math.max(end, e.getDataOffset() + (e.isFile() ? (e.getSize() + 511) / 512 * 512 : 0));
                FileEntry entry;
                try {
                    entry = toFileEntry(tarFile, e);
                    if (e.isFile() && e.getDataOffset() + e.getSize() > fileSize) {
                        throw new IOException(tarFile + ": the data of entry '" + e.getName()
                                + "' runs past the end of the file");
                    }
                } catch (UnsafePathException unsafe) {
                    throw new UnsafePathException(tarFile, e.getName(), unsafe.reason());
                }
                if (entry == null || entry.path().isEmpty()) {
                    continue;
                }
                try {
                    tree.add(entry);
                } catch (UnsafePathException unsafe) {
                    throw new UnsafePathException(tarFile, e.getName(), unsafe.reason());
                }
            }
        }
        requireZerosFrom(tarFile, end);
        return tree;
    }

    public static FileTree read(Path tarFile) throws IOException {
        return read(tarFile, new FileTree());
    }

    /**
     * The length of the archive at the start of {@code file}: its entries, the end-of-archive blocks and the
     * padding to the record size. A tar written onto a disk is followed by whatever the disk held.
     */
    public static long archiveLength(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            while (tar.getNextEntry() != null) {
                // headers only: the data is skipped
            }
            return tar.getBytesRead();
        }
    }

    private static void requireZerosFrom(Path tarFile, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(tarFile, StandardOpenOption.READ)) {
            channel.position(offset);
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
            long position = offset;
            for (int b; (b = in.read()) >= 0; position++) {
                if (b != 0) {
                    throw new IOException(tarFile + " is damaged: it has data at byte " + position + " after the last"
                            + " entry it can read (a zeroed or broken header hides the entries after it)");
                }
            }
        }
    }

    private static FileEntry toFileEntry(Path tarFile, TarArchiveEntry e) throws IOException {
        return TarEntries.toFileEntry(e, entry -> new FileSlice(tarFile, entry.getDataOffset(), entry.getSize()));
    }


    /** The bytes {@code [offset, offset + size)} of a file, opened on demand. */
    private record FileSlice(Path file, long offset, long size) implements Content {
        @Override
        public InputStream open() throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            InputStream in = Channels.newInputStream(channel);
            return new java.io.FilterInputStream(in) {
                private long left = size;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    long skipped = super.skip(Math.min(n, left));
                    left -= skipped;
                    return skipped;
                }

                @Override
                public int available() throws IOException {
                    return (int) Math.min(super.available(), left);
                }
            };
        }
    }
}
