package dev.vmforge.fs;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.IOException;

/**
 * One tar header as a file-tree entry, with the checks every archive the plugin reads gets (a package's
 * data.tar, a configured system coming back from the builder VM): no absolute or climbing names, no
 * symlink or hard link leading out of the root.
 */
final class TarEntries {
    private TarEntries() {
    }

    /** Supplies a regular file's bytes: read now (a .deb streamed once) or later (a tar file on disk). */
    @FunctionalInterface
    interface FileContent {
        Content of(TarArchiveEntry entry) throws IOException;
    }

    static FileEntry toFileEntry(TarArchiveEntry e, FileContent content) throws IOException {
        String name = e.getName();
        if (name.startsWith("/")) {
            throw new UnsafePathException(name, "absolute path");
        }
        String path = Paths.normalize(name);
        int mode = e.getMode() & 07777;
        int uid = (int) e.getLongUserId();
        int gid = (int) e.getLongGroupId();
        long mtime = e.getLastModifiedTime().toMillis() / 1000;
        if (e.isDirectory()) {
            return new FileEntry(path, FileEntry.Type.DIRECTORY, mode, uid, gid, mtime, null, 0, 0, null);
        } else if (e.isSymbolicLink()) {
            String target = e.getLinkName();
            checkSymlinkStaysInside(path, target);
            return new FileEntry(path, FileEntry.Type.SYMLINK, mode, uid, gid, mtime, target, 0, 0, null);
        } else if (e.isLink()) {
            String target = e.getLinkName();
            if (target.startsWith("/")) {
                throw new UnsafePathException(name, "hard link to the absolute path '" + target + "'");
            }
            try {
                target = Paths.normalize(target);
            } catch (UnsafePathException bad) {
                throw new UnsafePathException(name, "hard link to '" + target + "': " + bad.reason());
            }
            return new FileEntry(path, FileEntry.Type.HARDLINK, mode, uid, gid, mtime, target, 0, 0, null);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            FileEntry.Type type = e.isCharacterDevice() ? FileEntry.Type.CHAR_DEVICE : FileEntry.Type.BLOCK_DEVICE;
            return new FileEntry(path, type, mode, uid, gid, mtime, null, e.getDevMajor(), e.getDevMinor(), null);
        } else if (e.isFIFO()) {
            return new FileEntry(path, FileEntry.Type.FIFO, mode, uid, gid, mtime, null, 0, 0, null);
        } else if (e.isFile()) {
            return new FileEntry(path, FileEntry.Type.FILE, mode, uid, gid, mtime, null, 0, 0, content.of(e));
        }
        throw new UnsafePathException(name, "unsupported tar entry type '" + (char) e.getLinkFlag() + "'");
    }

    /** Refuses a symlink target that, read from the link's directory, climbs above the root. */
    static void checkSymlinkStaysInside(String linkPath, String target) {
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new UnsafePathException(linkPath, "symlink with an empty or NUL-containing target");
        }
        int depth = 0;
        if (!target.startsWith("/")) {
            String dir = Paths.parent(linkPath);
            depth = dir.isEmpty() ? 0 : dir.split("/").length;
        }
        for (String segment : target.split("/")) {
            if (segment.equals("..")) {
                if (--depth < 0) {
                    throw new UnsafePathException(linkPath, "symlink target '" + target + "' leads outside the root file system");
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
        }
    }
}
