package dev.vmforge.image;

import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSizeTest {
    static final long MIB = 1024 * 1024;

    /** A file of the given size whose bytes are never needed. */
    static Content sized(long size) {
        return new Content() {
            @Override public long size() { return size; }
            @Override public InputStream open() { throw new UnsupportedOperationException(); }
        };
    }

    static FileTree tree(int files, long eachBytes) {
        FileTree t = new FileTree();
        for (int i = 0; i < files; i++) {
            t.add(FileEntry.file("usr/share/d" + (i % 50) + "/f" + i, 0644, sized(eachBytes)));
        }
        return t;
    }

    static ImageSpec spec(OptionalLong size) {
        return new ImageSpec(ImageSpec.Format.QCOW2, size, ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI,
                ImageSpec.FileSystemType.EXT4, "root");
    }

    @Test
    void smallSystemsGetTheFloor() {
        ImageSize size = ImageSize.of(spec(OptionalLong.empty()), ContentStats.of(tree(100, 10_000)));
        assertEquals(ImageSize.FLOOR_BYTES, size.diskBytes());
        assertEquals(size.diskBytes() - 43 * MIB, size.rootFileSystemBytes());
    }

    @Test
    void guessLeavesAQuarterFreeAfterExt4sOwnUse() {
        FileTree t = tree(2000, 500_000); // ~1 GB in 4 KiB blocks: the file system uses 4 KiB blocks
        ContentStats stats = ContentStats.of(t);
        ImageSize size = ImageSize.of(spec(OptionalLong.empty()), stats);
        assertEquals(0, size.diskBytes() % MIB);
        long fs = size.rootFileSystemBytes();
        assertTrue(fs > 512 * MIB);
        long inodeTables = fs / 16384 * 256;
        long journal = ImageSize.journalBytes(fs / 4096, 4096);
        assertTrue(fs - inodeTables - journal >= stats.bytesIn4kBlocks() * 1.25,
                "free space " + (fs - inodeTables - journal) + " for content " + stats.bytesIn4kBlocks());
        assertTrue(fs < stats.bytesIn4kBlocks() * 1.6, "not wildly generous: " + fs);
    }

    @Test
    void manySmallFilesNeedInodesAndWholeBlocks() {
        ContentStats stats = ContentStats.of(tree(20_000, 100)); // 2 MB of bytes, but 20 000 inodes
        assertTrue(stats.bytesIn1kBlocks() >= 20_000L * 1024);
        long fs = ImageSize.rootFileSystemBytes(stats, 1.25);
        assertTrue(fs / 4096 >= 25_000, "inodes for 20 000 files with a quarter spare: " + fs);
    }

    @Test
    void anExplicitSizeTooSmallSaysWhatIsNeeded() {
        ContentStats stats = ContentStats.of(tree(100, 1_000_000)); // ~100 MB
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ImageSize.of(spec(OptionalLong.of(64 * MIB)), stats));
        assertEquals("image/size", e.element());
        assertTrue(e.getMessage().contains("64M is too small: the system needs at least "), e.getMessage());
        assertTrue(e.getMessage().contains("or use guess"), e.getMessage());
        long neededMib = Long.parseLong(e.getMessage().replaceAll(".*at least (\\d+) MiB.*", "$1"));
        // the size the message asks for is accepted, one MiB less is not
        assertEquals(neededMib * MIB, ImageSize.of(spec(OptionalLong.of(neededMib * MIB)), stats).diskBytes());
        assertThrows(InvalidConfigurationException.class,
                () -> ImageSize.of(spec(OptionalLong.of((neededMib - 1) * MIB)), stats));
    }

    @Test
    void anExplicitSizeIsKeptRoundedUpToWholeMib() {
        ImageSize size = ImageSize.of(spec(OptionalLong.of(2L * 1024 * MIB + 5)), ContentStats.of(tree(10, 1000)));
        assertEquals(2L * 1024 * MIB + MIB, size.diskBytes());
        assertEquals("2G", ImageSize.humanSize(2L * 1024 * MIB));
        assertEquals("1000 bytes", ImageSize.humanSize(1000));
    }

    @Test
    void hardLinksCostNoBlocks() {
        FileTree t = tree(1, 1_000_000);
        ContentStats before = ContentStats.of(t);
        t.add(new FileEntry("usr/share/d0/again", FileEntry.Type.HARDLINK, 0644, 0, 0, 0, "usr/share/d0/f0", 0, 0, null));
        ContentStats after = ContentStats.of(t);
        assertEquals(before.inodes(), after.inodes());
        assertTrue(after.bytesIn4kBlocks() - before.bytesIn4kBlocks() < 100, "only a directory entry");
    }
}
