package dev.vmforge.fs;

import java.util.Objects;

/**
 * One node of a file tree, with everything tar and cpio need to recreate it.
 *
 * @param path       normalized relative path without leading {@code /} or {@code ./}, e.g. {@code usr/bin/env}
 * @param type       what kind of node it is
 * @param mode       permission bits including setuid/setgid/sticky (no file type bits)
 * @param linkTarget symlink target, or for a hard link the path of the entry it links to; else null
 * @param devMajor   device numbers for character and block devices
 * @param content    file bytes for {@link Type#FILE}; {@link Content#EMPTY} otherwise
 */
public record FileEntry(String path, Type type, int mode, int uid, int gid, long mtime,
                        String linkTarget, int devMajor, int devMinor, Content content) {

    public enum Type { DIRECTORY, FILE, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO }

    public FileEntry {
        path = Paths.normalize(path);
        Objects.requireNonNull(type, "type");
        content = content == null ? Content.EMPTY : content;
        if ((type == Type.SYMLINK || type == Type.HARDLINK) && (linkTarget == null || linkTarget.isEmpty())) {
            throw new IllegalArgumentException(path + ": a link needs a target");
        }
        if (type == Type.HARDLINK) {
            linkTarget = Paths.normalize(linkTarget);
        }
        mode &= 07777;
    }

    public static FileEntry directory(String path, int mode) {
        return new FileEntry(path, Type.DIRECTORY, mode, 0, 0, 0, null, 0, 0, null);
    }

    public static FileEntry file(String path, int mode, Content content) {
        return new FileEntry(path, Type.FILE, mode, 0, 0, 0, null, 0, 0, content);
    }

    public static FileEntry file(String path, int mode, String text) {
        return file(path, mode, Content.of(text));
    }

    public static FileEntry symlink(String path, String target) {
        return new FileEntry(path, Type.SYMLINK, 0777, 0, 0, 0, target, 0, 0, null);
    }

    public FileEntry withOwner(int newUid, int newGid) {
        return new FileEntry(path, type, mode, newUid, newGid, mtime, linkTarget, devMajor, devMinor, content);
    }

    public FileEntry withMtime(long newMtime) {
        return new FileEntry(path, type, mode, uid, gid, newMtime, linkTarget, devMajor, devMinor, content);
    }

    public FileEntry withPath(String newPath) {
        return new FileEntry(newPath, type, mode, uid, gid, mtime, linkTarget, devMajor, devMinor, content);
    }

    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }
}
