package dev.vmforge.image;

import dev.vmforge.ShellTemplate;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.vm.BuilderInitramfs;

import java.util.List;
import java.util.Locale;

/**
 * The program the builder VM runs ({@code build-image.sh}, busybox sh) to turn its blank first disk into the
 * bootable image: partitions, the root file system made in one pass from its tar's tree with GRUB's files added
 * ({@code mke2fs -d}), the EFI system partition filled by mtools, GRUB's BIOS boot code. Nothing is mounted
 * read-write, and every time written is {@code timestamp}, so the same inputs give the same bytes.
 *
 * <p>Disks, in the order the VM runner attaches them: {@code /dev/vda} the output disk (sized
 * {@link PartitionLayout#diskBytes()}), then {@code /dev/vdb}, a read-only raw disk whose bytes are the root file
 * system's uncompressed tar. The kernel and initrd named by the {@link GrubConfig} must be in it (under
 * {@code /boot}); the script checks they are.
 *
 * @param timestamp every time written into the image, seconds since the epoch (SOURCE_DATE_EPOCH for mke2fs and
 *                  mtools)
 * @param treeMiB   size of the tmpfs the root file system's tree is unpacked onto, GRUB's files included
 */
public record BuilderScript(ImageSpec spec, PartitionLayout layout, GrubConfig grub, long timestamp, long treeMiB) {
    /** The guest device of the root file system's tar. */
    static final String ROOTFS_TAR_DISK = "/dev/vdb";
    /** FAT records dates from 1980 on: earlier timestamps are written as 1980-01-01 00:00:00 UTC. */
    static final long FAT_EPOCH = 315_532_800L;

    public BuilderScript {
        if (layout.table() != spec.partitionTable()) {
            throw new IllegalArgumentException("the layout was planned for another partition table");
        }
    }

    public String text() {
        return ShellTemplate.load(BuilderScript.class, "build-image.sh")
                .lines("STEP_FUNCTIONS", BuilderScript.stepFunctions())
                .word("TOOLS", "/" + BuilderInitramfs.TOOL_DIR)
                .word("GRUB_LIB", "/" + BuilderInitramfs.GRUB_LIB)
                .word("DISK", PartitionLayout.OUTPUT_DISK)
                .word("ROOTFS_TAR", ROOTFS_TAR_DISK)
                .word("PARTITIONS", String.join(" ", layout.partitions().stream().map(Partition::device).toList()))
                .word("ROOT", layout.root().device())
                .word("FS_TYPE", spec.fileSystemType().name().toLowerCase(Locale.ROOT))
                .word("FS_LABEL", label(spec.fileSystemLabel()))
                .word("FS_UUID", layout.ids().rootUuid().toString())
                .word("FS_HASH_SEED", layout.ids().hashSeed().toString())
                .number("ROOT_KIB", layout.root().sizeBytes() / 1024)
                .word("ESP", layout.esp().map(Partition::device).orElse(""))
                .word("ESP_SERIAL", layout.ids().espSerial())
                .word("KERNEL", grub.kernel())
                .word("INITRD", grub.initrd())
                .word("GRUB_BIOS", spec.firmware().bios() ? "yes" : "no")
                .word("GRUB_EFI", spec.firmware().efi() ? "yes" : "no")
                .number("TIMESTAMP", timestamp)
                .number("FAT_TIMESTAMP", Math.max(timestamp, FAT_EPOCH))
                .number("TREE_MIB", treeMiB)
                .lines("SFDISK_SCRIPT", layout.sfdiskScript().lines().toList())
                .lines("GRUB_CFG", grub.text().lines().toList())
                .render();
    }

    /** The step, fail and wait_block functions both image scripts use. */
    static List<String> stepFunctions() {
        return ShellTemplate.load(BuilderScript.class, "builder-steps.sh").render().lines().toList();
    }

    /** A file system label: short names only, so mke2fs and GRUB read it the same. */
    static String label(String label) {
        if (label == null || !label.matches("[A-Za-z0-9._-]{1,16}")) {
            throw new InvalidConfigurationException("image/fileSystemLabel",
                    "'" + label + "' is not a usable label: use 1 to 16 letters, digits, '.', '_' or '-'");
        }
        return label;
    }
}
