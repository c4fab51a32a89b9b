package dev.vmforge.image;

import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuilderScriptTest {
    static final long MIB = 1024 * 1024;

    static BuilderScript script(ImageSpec.PartitionTable table, ImageSpec.Firmware firmware) {
        ImageSpec spec = new ImageSpec(ImageSpec.Format.QCOW2, OptionalLong.empty(), table, firmware,
                ImageSpec.FileSystemType.EXT4, "root");
        ImageIds ids = ImageIds.derive("seed");
        PartitionLayout layout = PartitionLayout.plan(spec, 256 * MIB, ids);
        GrubConfig grub = new GrubConfig("demo", ids.rootUuid(), "/boot/vmlinuz-6.1.0-56-amd64",
                "/boot/initrd.img-6.1.0-56-amd64", List.of("quiet"));
        return new BuilderScript(spec, layout, grub, 1700000000L, 300);
    }

    @Test
    void everyStepOfABiosAndEfiGptImageIsThereInOrder() {
        BuilderScript s = script(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI);
        String text = s.text();
        assertEquals(List.of("wait-disks", "partition", "unpack", "check-boot-files", "grub-files", "mkfs-root", "esp",
                "grub-bios-setup", "verify", "finished"), text.lines().filter(l -> l.stripLeading().startsWith("step "))
                .map(l -> l.strip().substring(5)).toList());
        Partition root = s.layout().root();
        ImageIds ids = s.layout().ids();
        // the values the program runs with, each one shell word
        for (String assignment : List.of("DISK=/dev/vda ", "ROOTFS_TAR=/dev/vdb ", "PARTITIONS='/dev/vda1 /dev/vda2 /dev/vda3'",
                "ROOT=/dev/vda3 ", "FS_TYPE=ext4\n", "FS_LABEL=root\n", "FS_UUID=" + ids.rootUuid() + "\n",
                "FS_HASH_SEED=" + ids.hashSeed() + "\n", "ROOT_KIB=" + root.sizeBytes() / 1024 + "\n",
                "ESP=/dev/vda2 ", "ESP_SERIAL=" + ids.espSerial() + "\n", "KERNEL=/boot/vmlinuz-6.1.0-56-amd64 ",
                "GRUB_BIOS=yes ", "GRUB_EFI=yes\n", "TIMESTAMP=1700000000 ", "FAT_TIMESTAMP=1700000000 ",
                "TREE_MIB=300 ", "TOOLS=/usr/sbin\n", "GRUB_LIB=/usr/lib/grub ")) {
            assertTrue(text.contains(assignment.replace("\\n", "\n")), assignment + " in " + text);
        }
        assertTrue(text.contains("$BB tar -x -f \"$ROOTFS_TAR\" -C \"$TREE\"\n"), text);
        assertTrue(text.contains("set -e\n"));
        assertTrue(text.contains("\"$TOOLS/mkfs.fat\" -F 32 -n ESP --invariant -i \"$ESP_SERIAL\" \"$ESP\""), text);
        // one pass from the tree, every time from the timestamp, nothing left to the virtual disk's features
        assertTrue(text.contains("SOURCE_DATE_EPOCH=$TIMESTAMP \"$TOOLS/mke2fs\" -q -F -t \"$FS_TYPE\""), text);
        assertTrue(text.contains("-E \"hash_seed=$FS_HASH_SEED,root_owner=0:0,nodiscard,lazy_itable_init=1,lazy_journal_init=1\""), text);
        assertTrue(text.contains("-d \"$TREE\" \"$ROOT\" \"${ROOT_KIB}k\""), text);
        assertTrue(text.contains("SOURCE_DATE_EPOCH=$FAT_TIMESTAMP MTOOLS_SKIP_CHECK=1 \"$TOOLS/mcopy\""), text);
        assertFalse(text.contains("mount -t \"$FS_TYPE\" -o rw"), text);
        assertTrue(text.contains("-o ro,noload \"$ROOT\" \"$MNT\""), "the root is only ever mounted read-only: " + text);
        assertTrue(text.contains("-O i386-pc -o \"$TREE/boot/grub/i386-pc/core.img\""), text);
        assertTrue(text.contains("biosdisk part_gpt part_msdos ext2 search_fs_uuid"), text);
        assertTrue(text.contains("::/EFI/BOOT/BOOTX64.EFI"), text);
        assertTrue(text.contains("<<'SFDISK_END'\n" + s.layout().sfdiskScript() + "SFDISK_END\n"), text);
        assertTrue(text.contains("<<'GRUB_CFG_END'\n" + s.grub().text() + "GRUB_CFG_END\n"), text);
    }

    @Test
    void toolsAreCalledByAbsolutePathAndNothingIsPiped() {
        String text = script(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI).text();
        for (String line : text.lines().toList()) {
            for (String tool : List.of("sfdisk", "mke2fs", "mkfs.fat", "grub-mkimage", "mcopy", "mmd", "e2fsck", "tar", "mount")) {
                if (line.startsWith(tool + " ")) {
                    throw new AssertionError("bare " + tool + ": busybox would run its own applet: " + line);
                }
            }
            if (line.contains(" | ") && !line.startsWith("  linux")) {
                throw new AssertionError("a pipe loses the exit status: " + line);
            }
        }
    }

    @Test
    void fatTimesStartIn1980() {
        ImageSpec spec = new ImageSpec(ImageSpec.Format.RAW, OptionalLong.empty(), ImageSpec.PartitionTable.GPT,
                ImageSpec.Firmware.EFI, ImageSpec.FileSystemType.EXT4, "root");
        ImageIds ids = ImageIds.derive("seed");
        PartitionLayout layout = PartitionLayout.plan(spec, 256 * MIB, ids);
        GrubConfig grub = new GrubConfig("demo", ids.rootUuid(), "/boot/vmlinuz-6", "/boot/initrd.img-6", List.of());
        String text = new BuilderScript(spec, layout, grub, 1L, 100).text();
        assertTrue(text.contains("\nTIMESTAMP=1 "), text);
        assertTrue(text.contains("\nFAT_TIMESTAMP=315532800 "), text);
    }

    @Test
    void mbrBiosOnlyHasNoEspAndNoEfiInstall() {
        String text = script(ImageSpec.PartitionTable.MBR, ImageSpec.Firmware.BIOS).text();
        assertTrue(text.contains("\nESP='' "), "no ESP: the esp step is skipped: " + text);
        assertTrue(text.contains("\nGRUB_EFI=no\n"), text);
        assertTrue(text.contains("\nGRUB_BIOS=yes "), text);
        assertTrue(text.contains("label: dos"), text);
    }

    @Test
    void efiOnlyInstallsNoBiosBootCode() {
        String text = script(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.EFI).text();
        assertTrue(text.contains("\nGRUB_BIOS=no "), text);
        assertTrue(text.contains("\nGRUB_EFI=yes\n"), text);
        assertFalse(text.contains(PartitionLayout.GPT_BIOS_BOOT), "no BIOS boot partition: " + text);
    }

    @Test
    void refusesLabelsThatAreNotOneShellWord() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> BuilderScript.label("root fs; rm -rf /"));
        assertEquals("image/fileSystemLabel", e.element());
    }
}
