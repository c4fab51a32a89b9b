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

    static BuilderScript script(ImageSpec.PartitionTable table, ImageSpec.Firmware firmware, int layers) {
        ImageSpec spec = new ImageSpec(ImageSpec.Format.QCOW2, OptionalLong.empty(), table, firmware,
                ImageSpec.FileSystemType.EXT4, "root");
        ImageIds ids = ImageIds.derive("seed");
        PartitionLayout layout = PartitionLayout.plan(spec, 256 * MIB, ids);
        GrubConfig grub = new GrubConfig("demo", ids.rootUuid(), "/boot/vmlinuz-6.1.0-56-amd64",
                "/boot/initrd.img-6.1.0-56-amd64", List.of("quiet"));
        return new BuilderScript(spec, layout, grub, layers, 1700000000L);
    }

    @Test
    void everyStepOfABiosAndEfiGptImageIsThereInOrder() {
        BuilderScript s = script(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI, 2);
        String text = s.text();
        List<String> steps = text.lines().filter(l -> l.startsWith("step ")).map(l -> l.substring(5)).toList();
        assertEquals(List.of("wait-disks", "partition", "mkfs-esp", "mkfs-root", "mount", "unpack-layer-1",
                "unpack-layer-2", "check-boot-files", "mount-esp", "grub-cfg", "grub-install-bios",
                "grub-install-efi", "unmount", "verify", "done"), steps);
        assertEquals(List.of("/dev/vdb", "/dev/vdc"), s.layerDevices());
        assertTrue(text.contains("$BB mount -t ext4 -o noatime,noinit_itable /dev/vda3 /mnt/root\n"),
                "no lazy inode table zeroing racing the build: " + text);
        assertTrue(text.contains("$BB tar -x -f /dev/vdb -C /mnt/root\n"), text);
        assertTrue(text.contains("$BB tar -x -f /dev/vdc -C /mnt/root\n"), text);
        assertTrue(text.contains("set -e\n"));
        assertTrue(text.contains("mkfs.fat -F 32 -n ESP --invariant -i " + ImageIds.derive("seed").espSerial() + " /dev/vda2"));
        Partition root = s.layout().root();
        assertTrue(text.contains("E2FSPROGS_FAKE_TIME=1700000000 /usr/sbin/mke2fs -q -F -t ext4 -L root -U "
                + s.layout().ids().rootUuid() + " -E hash_seed=" + s.layout().ids().hashSeed() + " /dev/vda3 "
                + root.sizeBytes() / 1024 + "k\n"), text);
        assertTrue(text.contains("/usr/sbin/grub-install --target=i386-pc --boot-directory=/mnt/root/boot"
                + " --modules=\"part_gpt part_msdos ext2\" /dev/vda\n"), text);
        assertTrue(text.contains("--target=x86_64-efi --efi-directory=/mnt/root/boot/efi --boot-directory=/mnt/root/boot"
                + " --removable --no-nvram --no-uefi-secure-boot"), text);
        assertTrue(text.contains(s.layout().sfdiskScript()));
        assertTrue(text.contains(s.grub().text()));
    }

    @Test
    void toolsAreCalledByAbsolutePathAndNothingIsPiped() {
        String text = script(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI, 1).text();
        for (String line : text.lines().toList()) {
            for (String tool : List.of("sfdisk", "mke2fs", "mkfs.fat", "grub-install", "e2fsck", "tar", "mount")) {
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
    void mbrBiosOnlyHasNoEspAndNoEfiInstall() {
        String text = script(ImageSpec.PartitionTable.MBR, ImageSpec.Firmware.BIOS, 1).text();
        assertFalse(text.contains("mkfs.fat"), text);
        assertFalse(text.contains("x86_64-efi"), text);
        assertFalse(text.contains("/boot/efi"), text);
        assertTrue(text.contains("label: dos"), text);
        assertTrue(text.contains("--target=i386-pc"), text);
    }

    @Test
    void efiOnlyInstallsNoBiosBootCode() {
        String text = script(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.EFI, 1).text();
        assertFalse(text.contains("i386-pc"), text);
        assertTrue(text.contains("--target=x86_64-efi"), text);
    }

    @Test
    void refusesLabelsThatAreNotOneShellWord() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> BuilderScript.shellWord("root fs; rm -rf /"));
        assertEquals("image/fileSystemLabel", e.element());
    }

    @Test
    void isValidShellSyntax() throws Exception {
        Path sh = Path.of("/bin/sh");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(sh), "needs /bin/sh to parse the script");
        Path file = Files.createTempFile("build", ".sh");
        try {
            Files.writeString(file, script(ImageSpec.PartitionTable.GPT, ImageSpec.Firmware.BIOS_EFI, 2).text());
            Process p = new ProcessBuilder(sh.toString(), "-n", file.toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            String output = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.exitValue(), output);
        } finally {
            Files.delete(file);
        }
    }
}
