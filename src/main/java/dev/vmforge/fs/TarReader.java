package dev.vmforge.fs;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

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
 * <p>Trailing bytes after the end-of-archive blocks are ignored, so a raw disk the tar was written onto
 * can be read as it is.
 */
public final class TarReader {
    private TarReader() {
    }

    /** Adds every entry of {@code tarFile} to {@code tree} (later entries replace earlier ones). */
    public static FileTree read(Path tarFile, FileTree tree) throws IOException {
        long fileSize = Files.size(tarFile);
        try (TarFile tar = new TarFile(tarFile)) {
            for (TarArchiveEntry e : tar.getEntries()) {
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
        return tree;
    }

    public static FileTree read(Path tarFile) throws IOException {
        return read(tarFile, new FileTree());
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
