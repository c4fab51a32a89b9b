package dev.vmforge.image;

import dev.vmforge.ShellTemplate;
import dev.vmforge.vm.BuilderInitramfs;

/**
 * The program the builder VM runs ({@code build-iso.sh}) to write a hybrid ISO image from the first byte of its
 * output disk: the root file system's tree (and the application's, when there is one) with GRUB's files, bootable
 * from a CD/DVD and a USB stick under BIOS and UEFI. The disk is larger than the ISO; the host cuts it to the
 * volume's size ({@link IsoVolume#bytes}).
 *
 * <p>Disks, in the order the VM runner attaches them: {@code /dev/vda} the output, {@code /dev/vdb} the root file
 * system's tar, {@code /dev/vdc} the application's tar when {@code withApplication}.
 *
 * @param volumeId        the ISO's volume ID ({@code <fileSystemLabel>} upper-cased)
 * @param espSerial       the EFI image's FAT serial
 * @param bios            El Torito BIOS boot and GRUB's hybrid MBR
 * @param efi             El Torito EFI boot image, also the GPT's EFI system partition
 * @param timestamp       every time written into the image (SOURCE_DATE_EPOCH)
 * @param treeMiB         size of the tmpfs the tree is unpacked onto
 */
public record IsoBuilderScript(String volumeId, String espSerial, boolean bios, boolean efi, GrubConfig grub,
                               boolean withApplication, long timestamp, long treeMiB) {
    static final String APPLICATION_TAR_DISK = "/dev/vdc";

    public String text() {
        return ShellTemplate.load(IsoBuilderScript.class, "build-iso.sh")
                .lines("STEP_FUNCTIONS", BuilderScript.stepFunctions())
                .word("TOOLS", "/" + BuilderInitramfs.TOOL_DIR)
                .word("GRUB_LIB", "/" + BuilderInitramfs.GRUB_LIB)
                .word("DISK", PartitionLayout.OUTPUT_DISK)
                .word("ROOTFS_TAR", BuilderScript.ROOTFS_TAR_DISK)
                .word("APPLICATION_TAR", withApplication ? APPLICATION_TAR_DISK : "")
                .word("VOLUME_ID", volumeId)
                .word("ESP_SERIAL", espSerial)
                .word("KERNEL", grub.kernel())
                .word("INITRD", grub.initrd())
                .word("GRUB_BIOS", bios ? "yes" : "no")
                .word("GRUB_EFI", efi ? "yes" : "no")
                .number("TIMESTAMP", timestamp)
                .number("FAT_TIMESTAMP", Math.max(timestamp, BuilderScript.FAT_EPOCH))
                .number("TREE_MIB", treeMiB)
                .lines("GRUB_CFG", grub.text().lines().toList())
                .render();
    }
}
