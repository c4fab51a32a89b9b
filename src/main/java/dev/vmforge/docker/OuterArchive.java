package dev.vmforge.docker;

import dev.vmforge.fs.NonClosingOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * The tar that holds an image (docker-archive or OCI layout): root-owned entries, one fixed time,
 * modes 0644 and 0755, so only the contents decide its bytes.
 */
final class OuterArchive implements AutoCloseable {
    private final TarArchiveOutputStream tar;
    private final FileTime mtime;

    OuterArchive(OutputStream out, long mtimeSeconds) {
        tar = new TarArchiveOutputStream(new NonClosingOutputStream(out), "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        mtime = FileTime.fromMillis(mtimeSeconds * 1000);
    }

    void directory(String path) throws IOException {
        tar.putArchiveEntry(header(path + "/", TarConstants.LF_DIR, 0755, 0));
        tar.closeArchiveEntry();
    }

    void file(String path, byte[] bytes) throws IOException {
        tar.putArchiveEntry(header(path, TarConstants.LF_NORMAL, 0644, bytes.length));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    void file(String path, Path source, long size) throws IOException {
        tar.putArchiveEntry(header(path, TarConstants.LF_NORMAL, 0644, size));
        long copied = Files.copy(source, tar);
        if (copied != size) {
            throw new IOException(source + " changed size while being archived");
        }
        tar.closeArchiveEntry();
    }

    /** Writes the end-of-archive blocks; the underlying stream stays open. */
    @Override
    public void close() throws IOException {
        tar.finish();
        tar.close();
    }

    private TarArchiveEntry header(String name, byte flag, int mode, long size) {
        TarArchiveEntry h = new TarArchiveEntry(name, flag);
        h.setMode(mode);
        h.setSize(size);
        h.setUserId(0);
        h.setGroupId(0);
        h.setUserName("");
        h.setGroupName("");
        h.setModTime(mtime);
        return h;
    }
}
