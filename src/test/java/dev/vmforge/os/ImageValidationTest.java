package dev.vmforge.os;

import dev.vmforge.os.pom.ImageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.OptionalLong;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static dev.vmforge.os.ReaderTesting.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageValidationTest {
    @TempDir
    Path base;
    private final ImageConfig c = new ImageConfig();

    private ImageSpec read() {
        return reader(base).readImage(c);
    }

    @Test
    void acceptsEverySpellingCaseInsensitively() {
        c.format = "RAW";
        c.size = "2G";
        c.partitionTable = "MBR";
        c.firmware = "BIOS";
        c.fileSystemType = "Ext3";
        c.fileSystemLabel = "sixteen-bytes-ok";
        assertEquals(new ImageSpec(ImageSpec.Format.RAW, OptionalLong.of(2L << 30), ImageSpec.PartitionTable.MBR,
                ImageSpec.Firmware.BIOS, ImageSpec.FileSystemType.EXT3, "sixteen-bytes-ok"), read());
    }

    @Test
    void firmwareIsWrittenWithAPlus() {
        c.firmware = "bios+efi";
        assertEquals(ImageSpec.Firmware.BIOS_EFI, read().firmware());
        c.firmware = "efi";
        assertEquals(ImageSpec.Firmware.EFI, read().firmware());
    }

    @Test
    void guessMeansNoFixedSize() {
        c.size = "GUESS";
        assertEquals(OptionalLong.empty(), read().sizeBytes());
    }

    @Test
    void formatListsTheAllowedValues() {
        c.format = "vmdk";
        assertInvalid("image/format", "use one of qcow2, raw", this::read);
    }

    @Test
    void sizeMustBeASize() {
        c.size = "2 gigs";
        assertInvalid("image/size", "e.g. 512M or 2G", this::read);
    }

    @Test
    void sizeBelowTheMinimumIsRefused() {
        c.size = "32M";
        assertInvalid("image/size", "write guess (content plus headroom) or a size of at least 64M", this::read);
    }

    @Test
    void partitionTableListsTheAllowedValues() {
        c.partitionTable = "apm";
        assertInvalid("image/partitionTable", "use one of gpt, mbr", this::read);
    }

    @Test
    void firmwareListsTheAllowedValues() {
        c.firmware = "uefi";
        assertInvalid("image/firmware", "use one of bios, efi, bios+efi", this::read);
    }

    @Test
    void fileSystemTypeListsTheAllowedValues() {
        c.fileSystemType = "xfs";
        assertInvalid("image/fileSystemType", "use one of ext4, ext3, ext2", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seventeen-bytes-x", "my root", "a/b", "ééééééééé", "a|b", "it's", "$root"})
    void labelIsWhatMke2fsAndGrubReadAlike(String label) {
        c.fileSystemLabel = label;
        assertInvalid("image/fileSystemLabel", "use 1 to 16 letters, digits, '.', '_' or '-'", this::read);
    }

    @Test
    void anIsoHasAVolatileRootAndAnUpperCasedVolumeId() {
        c.format = "iso";
        c.fileSystemLabel = "hello-live.1";
        ImageSpec iso = read();
        assertEquals(ImageSpec.Format.ISO, iso.format());
        assertTrue(iso.volatileRoot());
        assertEquals("HELLO_LIVE_1", iso.isoVolumeId());
        assertEquals("iso", iso.format().extension());
    }

    @Test
    void volatileRootIsReadAndOffByDefault() {
        c.format = "raw";
        assertFalse(read().volatileRoot());
        c.volatileRoot = true;
        assertTrue(read().volatileRoot());
        assertTrue(read().withFormat(ImageSpec.Format.QCOW2).volatileRoot());
    }

    @Test
    void sizeAndPartitionTableDoNotApplyToAnIso() {
        c.format = "iso";
        c.size = "1G";
        assertInvalid("image/size", "does not apply to <format>iso</format>", this::read);
        c.size = null;
        c.partitionTable = "mbr";
        assertInvalid("image/partitionTable", "does not apply to <format>iso</format>", this::read);
    }
}
