package dev.vmforge.docker;

import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;

/**
 * {@link LayerTarWriter} on commons-compress: POSIX (PAX) headers for long names and big numbers,
 * no user or group names, no atime/ctime, directories named with a trailing {@code /}, hard links as
 * tar links. The root directory itself is not written, as in the layers {@code docker build} makes.
 */
final class CommonsCompressLayerTarWriter implements LayerTarWriter {

    @Override
    public void write(FileTree tree, long mtimeSeconds, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosingOutputStream(out), "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        FileTime mtime = FileTime.fromMillis(mtimeSeconds * 1000);
        byte[] buffer = new byte[64 * 1024];
        for (FileEntry entry : tree.entries()) {
            TarArchiveEntry header = header(entry, mtime);
            tar.putArchiveEntry(header);
            if (entry.type() == FileEntry.Type.FILE) {
                copyExactly(entry, tar, buffer);
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    static TarArchiveEntry header(FileEntry entry, FileTime mtime) {
        TarArchiveEntry header = switch (entry.type()) {
            case DIRECTORY -> new TarArchiveEntry(entry.path() + "/", TarConstants.LF_DIR);
            case FILE -> {
                TarArchiveEntry h = new TarArchiveEntry(entry.path(), TarConstants.LF_NORMAL);
                h.setSize(entry.content().size());
                yield h;
            }
            case SYMLINK -> link(entry, TarConstants.LF_SYMLINK);
            case HARDLINK -> link(entry, TarConstants.LF_LINK);
            case CHAR_DEVICE -> device(entry, TarConstants.LF_CHR);
            case BLOCK_DEVICE -> device(entry, TarConstants.LF_BLK);
            case FIFO -> new TarArchiveEntry(entry.path(), TarConstants.LF_FIFO);
        };
        header.setMode(entry.mode()); // permission bits only, as GNU tar writes them
        header.setUserId(entry.uid());
        header.setGroupId(entry.gid());
        header.setUserName(""); // the default would be the building user's name
        header.setGroupName("");
        header.setModTime(mtime);
        return header;
    }

    private static TarArchiveEntry link(FileEntry entry, byte flag) {
        TarArchiveEntry h = new TarArchiveEntry(entry.path(), flag);
        h.setLinkName(entry.linkTarget());
        return h;
    }

    private static TarArchiveEntry device(FileEntry entry, byte flag) {
        TarArchiveEntry h = new TarArchiveEntry(entry.path(), flag);
        h.setDevMajor(entry.devMajor());
        h.setDevMinor(entry.devMinor());
        return h;
    }

    /** A tar header promises a size; a content that delivers another would corrupt every later entry. */
    private static void copyExactly(FileEntry entry, OutputStream tar, byte[] buffer) throws IOException {
        long expected = entry.content().size();
        long copied = 0;
        try (InputStream in = entry.content().open()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                copied += n;
                if (copied > expected) {
                    break;
                }
                tar.write(buffer, 0, n);
            }
        }
        if (copied != expected) {
            throw new IOException(entry.path() + ": expected " + expected + " bytes of content but got "
                    + (copied > expected ? "more" : copied));
        }
    }
}
