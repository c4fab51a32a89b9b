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
import java.util.HashMap;
import java.util.Map;

/**
 * {@link LayerTarWriter} on commons-compress: POSIX (PAX) headers for long names and big numbers,
 * no user or group names, no atime/ctime, directories named with a trailing {@code /}, hard links as
 * tar links. The root directory itself is not written, as in the layers {@code docker build} makes.
 *
 * <p>A tar hard link must follow the file it names, but path order can put a link first ({@code usr/bin/perl}
 * before {@code usr/bin/perl5.36.0}); then the first path of the group carries the content and the others
 * link to it, which extracts to the same files.
 */
final class CommonsCompressLayerTarWriter implements LayerTarWriter {

    @Override
    public void write(FileTree tree, long mtimeSeconds, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosingOutputStream(out), "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        FileTime mtime = FileTime.fromMillis(mtimeSeconds * 1000);
        byte[] buffer = new byte[64 * 1024];
        Map<String, String> firstOfGroup = firstPathOfEachHardLinkGroup(tree);
        for (FileEntry original : tree.entries()) {
            FileEntry entry = inPathOrder(original, tree, firstOfGroup);
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

    /** For each hard-linked file, the path that comes first in tree order among it and its links. */
    private static Map<String, String> firstPathOfEachHardLinkGroup(FileTree tree) throws IOException {
        Map<String, String> first = new HashMap<>();
        for (FileEntry e : tree.entries()) {
            if (e.type() == FileEntry.Type.HARDLINK) {
                FileEntry target = linkedFile(e, tree);
                first.merge(target.path(), e.path(), (a, b) -> FileTree.PATH_ORDER.compare(a, b) <= 0 ? a : b);
                first.computeIfPresent(target.path(), (t, p) -> FileTree.PATH_ORDER.compare(t, p) <= 0 ? t : p);
            }
        }
        return first;
    }

    /** The entry as written: the group's first path holds the file, every other path links to it. */
    private static FileEntry inPathOrder(FileEntry entry, FileTree tree, Map<String, String> firstOfGroup)
            throws IOException {
        FileEntry file = entry.type() == FileEntry.Type.HARDLINK ? linkedFile(entry, tree) : entry;
        String first = firstOfGroup.get(file.path());
        if (first == null) {
            return entry;
        }
        if (first.equals(entry.path())) {
            return file.withPath(entry.path());
        }
        return new FileEntry(entry.path(), FileEntry.Type.HARDLINK, file.mode(), file.uid(), file.gid(),
                file.mtime(), first, 0, 0, null);
    }

    /** The regular file a hard link names, following links to links; it must be in the same tree (layer). */
    private static FileEntry linkedFile(FileEntry link, FileTree tree) throws IOException {
        FileEntry target = link;
        for (int depth = 0; target.type() == FileEntry.Type.HARDLINK; depth++) {
            String name = target.linkTarget();
            target = tree.get(name).orElseThrow(() -> new IOException(link.path()
                    + ": hard link to '" + name + "', which is not in this layer"));
            if (depth > 64) {
                throw new IOException(link.path() + ": hard links form a loop");
            }
        }
        if (target.type() != FileEntry.Type.FILE) {
            throw new IOException(link.path() + ": hard link to " + target.path() + ", which is a "
                    + target.type().name().toLowerCase() + ", not a regular file");
        }
        return target;
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
