package dev.vmforge.image;

import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;

/**
 * What a root file system's content costs on ext4: data blocks at both block sizes mke2fs may
 * choose (1 KiB under 512 MiB, 4 KiB above), and how many inodes it needs.
 */
public record ContentStats(long bytesIn1kBlocks, long bytesIn4kBlocks, long inodes) {

    /** Directory entries are about 8 bytes plus the name; 32 is a generous average. */
    private static final int DIRENT_BYTES = 32;
    /** Symlink targets shorter than this live in the inode itself ("fast" symlinks). */
    private static final int FAST_SYMLINK_MAX = 59;

    public static ContentStats of(FileTree tree) {
        long b1 = 0;
        long b4 = 0;
        long inodes = 0;
        for (FileEntry e : tree.entries()) {
            // every name costs a directory entry in its parent
            b1 += DIRENT_BYTES;
            b4 += DIRENT_BYTES;
            switch (e.type()) {
                case FILE -> {
                    long size = e.content().size();
                    b1 += roundUp(size, 1024);
                    b4 += roundUp(size, 4096);
                    inodes++;
                }
                case DIRECTORY -> {
                    b1 += 1024;
                    b4 += 4096;
                    inodes++;
                }
                case SYMLINK -> {
                    if (e.linkTarget().length() > FAST_SYMLINK_MAX) {
                        b1 += 1024;
                        b4 += 4096;
                    }
                    inodes++;
                }
                case HARDLINK -> { } // shares the inode and blocks of its target
                default -> inodes++;  // devices and fifos: an inode, no data
            }
        }
        return new ContentStats(b1, b4, inodes);
    }

    public ContentStats plus(ContentStats other) {
        return new ContentStats(bytesIn1kBlocks + other.bytesIn1kBlocks, bytesIn4kBlocks + other.bytesIn4kBlocks,
                inodes + other.inodes);
    }

    public long bytesInBlocks(int blockSize) {
        return blockSize == 1024 ? bytesIn1kBlocks : bytesIn4kBlocks;
    }

    private static long roundUp(long value, long unit) {
        return (value + unit - 1) / unit * unit;
    }
}
