package dev.vmforge.image;

import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.InvalidConfigurationException;

/**
 * The size of the disk image: {@code <size>guess</size>} (content plus a quarter, plus what ext4
 * itself takes) or the user's size, checked against what the content needs. The check happens
 * here, on the host, because finding out in the builder VM costs a VM boot.
 *
 * @param diskBytes           the whole disk, a whole number of MiB
 * @param rootFileSystemBytes what is left for the root partition
 */
public record ImageSize(long diskBytes, long rootFileSystemBytes) {

    static final long MIB = PartitionLayout.MIB;
    /** Smallest disk {@code guess} produces: room to install a few packages later. */
    public static final long FLOOR_BYTES = 128 * MIB;
    /** {@code guess} leaves a quarter of the content free. */
    static final double GUESS_HEADROOM = 1.25;
    /** An explicit size must hold the content with at least this margin for estimate error. */
    static final double MINIMUM_HEADROOM = 1.05;
    /**
     * The builder's mke2fs.conf: "small" file systems (under 512 MiB) get one inode per 4 KiB, larger ones one per
     * 16 KiB; blocks are 4 KiB for all (1 KiB blocks would make {@code mke2fs -d} write four times as many).
     */
    static final long SMALL_FS_LIMIT = 512 * MIB;
    /** What the builder adds under /boot/grub: i386-pc and x86_64-efi modules and core images (measured ~9 MiB). */
    static final long GRUB_FILES_BYTES = 16 * MIB;

    public static ImageSize of(ImageSpec spec, ContentStats content) {
        return of(spec, content, 0);
    }

    /** @param applicationBytes the application partition's size (0: none), outside the root file system */
    public static ImageSize of(ImageSpec spec, ContentStats content, long applicationBytes) {
        long fixed = PartitionLayout.fixedBytes(spec) + applicationBytes;
        long needed = fixed + rootFileSystemBytes(content, MINIMUM_HEADROOM);
        if (spec.sizeBytes().isEmpty()) {
            long guess = Math.max(FLOOR_BYTES, fixed + rootFileSystemBytes(content, GUESS_HEADROOM));
            return new ImageSize(guess, guess - fixed);
        }
        long requested = spec.sizeBytes().getAsLong();
        long disk = roundUpToMib(requested);
        if (disk < needed) {
            long neededMib = needed / MIB;
            throw new InvalidConfigurationException("image/size", humanSize(requested)
                    + " is too small: the system needs at least " + neededMib + " MiB; set <size> to "
                    + neededMib + "M or more, or use guess");
        }
        return new ImageSize(disk, disk - fixed);
    }

    /**
     * The smallest ext4 file system (whole MiB) whose free blocks hold {@code content × headroom}
     * and whose inode table holds its inodes with the same margin, after mke2fs's own use:
     * inode tables, journal, group descriptors and bitmaps.
     */
    static long rootFileSystemBytes(ContentStats content, double headroom) {
        content = content.plus(new ContentStats(GRUB_FILES_BYTES, GRUB_FILES_BYTES, 600));
        long fs = roundUpToMib((long) (content.bytesIn4kBlocks() * headroom));
        while (true) {
            int block = 4096;
            long inodeRatio = fs < SMALL_FS_LIMIT ? 4096 : 16384;
            long inodeSize = 256;
            long inodes = fs / inodeRatio;
            long overhead = inodes * inodeSize + journalBytes(fs / block, block) + fs / 100 + MIB;
            long data = (long) (content.bytesInBlocks(block) * headroom);
            boolean fits = fs - overhead >= data && inodes >= (long) (content.inodes() * headroom) + 16;
            if (fits) {
                return fs;
            }
            long grow = Math.max(MIB, roundUpToMib((data + overhead - fs) / 2));
            long inodeShort = (long) (content.inodes() * headroom) + 16 - inodes;
            if (inodeShort > 0) {
                grow = Math.max(grow, roundUpToMib(inodeShort * inodeRatio));
            }
            fs += grow;
        }
    }

    /** The journal mke2fs creates by default for a file system of this many blocks (e2fsprogs 1.47). */
    static long journalBytes(long blocks, int blockSize) {
        long journalBlocks;
        if (blocks < 2048) {
            journalBlocks = 0;
        } else if (blocks < 32768) {
            journalBlocks = 1024;
        } else if (blocks < 256 * 1024) {
            journalBlocks = 4096;
        } else if (blocks < 512 * 1024) {
            journalBlocks = 8192;
        } else if (blocks < 4096 * 1024) {
            journalBlocks = 16384;
        } else if (blocks < 8192 * 1024) {
            journalBlocks = 32768;
        } else if (blocks < 16384 * 1024) {
            journalBlocks = 65536;
        } else if (blocks < 32768 * 1024) {
            journalBlocks = 131072;
        } else {
            journalBlocks = 262144;
        }
        return journalBlocks * blockSize;
    }

    static long roundUpToMib(long bytes) {
        return (bytes + MIB - 1) / MIB * MIB;
    }

    /** 64M, 2G or a byte count, as the user would have written it. */
    static String humanSize(long bytes) {
        long gib = 1024 * MIB;
        if (bytes > 0 && bytes % gib == 0) {
            return bytes / gib + "G";
        }
        if (bytes > 0 && bytes % MIB == 0) {
            return bytes / MIB + "M";
        }
        return bytes + " bytes";
    }
}
