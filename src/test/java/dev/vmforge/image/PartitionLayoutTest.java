package dev.vmforge.image;

import dev.vmforge.os.ImageSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionLayoutTest {
    static final long MIB = 1024 * 1024;

    static ImageSpec spec(ImageSpec.PartitionTable table, ImageSpec.Firmware firmware) {
        return new ImageSpec(ImageSpec.Format.QCOW2, OptionalLong.empty(), table, firmware,
                ImageSpec.FileSystemType.EXT4, "root");
    }

    @Test
    void gptForBiosAndEfiHasBiosBootEspAndRootAlignedToOneMib() {
        PartitionLayout l = PartitionLayout.plan(spec(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI),
                256 * MIB, ImageIds.derive("seed"));
        List<Partition> p = l.partitions();
        assertEquals(3, p.size());
        assertEquals(Partition.Role.BIOS_BOOT, p.get(0).role());
        assertEquals(2048, p.get(0).startSector());
        assertEquals(MIB, p.get(0).sizeBytes());
        assertEquals(Partition.Role.ESP, p.get(1).role());
        assertEquals(2 * MIB, p.get(1).startBytes());
        assertEquals(40 * MIB, p.get(1).sizeBytes());
        assertEquals("/dev/vda3", l.root().device());
        assertEquals(42 * MIB, l.root().startBytes());
        // the root ends one MiB before the disk's end, leaving room for the backup GPT
        assertEquals(255 * MIB, l.root().startBytes() + l.root().sizeBytes());
        for (Partition part : p) {
            assertEquals(0, part.startBytes() % MIB, part.name());
        }
        String script = l.sfdiskScript();
        assertTrue(script.startsWith("label: gpt\n"), script);
        assertTrue(script.contains("/dev/vda1 : start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649"), script);
        assertTrue(script.contains("type=C12A7328-F81F-11D2-BA4B-00A0C93EC3B8"), script);
        assertTrue(script.contains("/dev/vda3 : start=86016, size=" + (213 * MIB / 512)
                + ", type=0FC63DAF-8483-4772-8E79-3D69D8477DE4"), script);
        assertTrue(script.contains("label-id: " + l.ids().diskGuid().toString().toUpperCase()), script);
        assertEquals(PartitionLayout.fixedBytes(spec(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI)),
                256 * MIB - l.root().sizeBytes());
    }

    @Test
    void anApplicationPartitionComesLastAndTheRootShrinksByItsSize() {
        PartitionLayout gpt = PartitionLayout.plan(spec(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI),
                256 * MIB, ImageIds.derive("seed"), 16 * MIB);
        Partition app = gpt.application().orElseThrow();
        assertEquals(4, app.number());
        assertEquals("/dev/vda4", app.device());
        assertEquals(197 * MIB, gpt.root().sizeBytes());
        assertEquals(gpt.root().startBytes() + gpt.root().sizeBytes(), app.startBytes());
        assertEquals(255 * MIB, app.startBytes() + app.sizeBytes()); // the backup GPT's MiB stays free
        assertTrue(gpt.sfdiskScript().contains("/dev/vda4 : start=" + app.startSector() + ", size=" + (16 * MIB / 512)
                + ", type=8DA63339-0007-60C0-C436-083AC8230908"), gpt.sfdiskScript());
        assertTrue(gpt.sfdiskScript().contains("name=\"app\""), gpt.sfdiskScript());

        PartitionLayout mbr = PartitionLayout.plan(spec(ImageSpec.PartitionTable.MBR, ImageSpec.Firmware.BIOS),
                128 * MIB, ImageIds.derive("seed"), 32 * MIB);
        assertEquals("/dev/vda2", mbr.application().orElseThrow().device());
        assertTrue(mbr.sfdiskScript().contains("/dev/vda2 : start=" + (95 * MIB / 512) + ", size=" + (32 * MIB / 512)
                + ", type=da\n"), mbr.sfdiskScript());
        assertTrue(PartitionLayout.plan(spec(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS), 128 * MIB,
                ImageIds.derive("seed")).application().isEmpty());
    }

    @Test
    void efiOnlyGptHasNoBiosBootPartitionAndBiosOnlyHasNoEsp() {
        PartitionLayout efi = PartitionLayout.plan(spec(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.EFI),
                128 * MIB, ImageIds.derive("s"));
        assertTrue(efi.biosBoot().isEmpty());
        assertEquals("/dev/vda1", efi.esp().orElseThrow().device());
        assertEquals("/dev/vda2", efi.root().device());
        PartitionLayout bios = PartitionLayout.plan(spec(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS),
                128 * MIB, ImageIds.derive("s"));
        assertTrue(bios.esp().isEmpty());
        assertEquals("/dev/vda2", bios.root().device());
        assertFalse(bios.sfdiskScript().contains("C12A7328"));
    }

    @Test
    void mbrUsesTypeBytesABootableRootAndNoGuids() {
        PartitionLayout l = PartitionLayout.plan(spec(ImageSpec.PartitionTable.MBR, ImageSpec.Firmware.BIOS_EFI),
                128 * MIB, ImageIds.derive("s"));
        assertEquals(2, l.partitions().size(), "BIOS GRUB lives in the gap before the first partition");
        String script = l.sfdiskScript();
        assertTrue(script.startsWith("label: dos\nlabel-id: 0x"), script);
        assertTrue(script.contains("/dev/vda1 : start=2048, size=81920, type=ef\n"), script);
        assertTrue(script.contains("/dev/vda2 : start=83968, size=" + (86 * MIB / 512) + ", type=83, bootable\n"), script);
        assertFalse(script.contains("uuid="), script);
        assertFalse(script.contains("first-lba"), script);
    }

    @Test
    void identifiersFollowTheSeed() {
        ImageSpec s = spec(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI);
        String a = PartitionLayout.plan(s, 128 * MIB, ImageIds.derive("key-1")).sfdiskScript();
        assertEquals(a, PartitionLayout.plan(s, 128 * MIB, ImageIds.derive("key-1")).sfdiskScript());
        assertNotEquals(a, PartitionLayout.plan(s, 128 * MIB, ImageIds.derive("key-2")).sfdiskScript());
        ImageIds ids = ImageIds.derive("key-1");
        assertEquals(4, ids.rootUuid().version());
        assertEquals(2, ids.rootUuid().variant());
        assertNotEquals(ids.rootUuid(), ids.hashSeed());
        assertNotEquals(ids.partitionGuid(1), ids.partitionGuid(2));
        assertTrue(ids.espSerial().matches("[0-9A-F]{8}"), ids.espSerial());
    }
}
