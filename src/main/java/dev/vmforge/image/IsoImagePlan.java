package dev.vmforge.image;

import dev.vmforge.os.ImageSpec;

import java.util.List;

/**
 * Everything decided on the host before the builder VM writes an ISO: the output disk's size (an upper bound: the
 * host cuts the disk to the volume's size afterwards), grub.cfg and the script.
 */
public record IsoImagePlan(long diskBytes, GrubConfig grub, IsoBuilderScript script) {
    /** The EFI image (4 MiB), El Torito's catalog, the system area and xorriso's padding, with room to spare. */
    static final long OVERHEAD_BYTES = 32 * ImageSize.MIB;

    /**
     * @param seed             the image derivation's key: the EFI image's serial derives from it
     * @param applicationBytes size of the application's tar put into the ISO's root (0: none)
     */
    public static IsoImagePlan of(ImageSpec spec, ContentStats content, String seed, String hostName, String kernel,
                                  String initrd, List<String> kernelArguments, long timestamp, long applicationBytes) {
        ImageIds ids = ImageIds.derive(seed);
        String volumeId = spec.isoVolumeId();
        GrubConfig grub = new GrubConfig(hostName, GrubConfig.Root.isoVolume(volumeId), kernel, initrd,
                kernelArguments);
        long diskBytes = content.bytesIn4kBlocks() + ImageSize.GRUB_FILES_BYTES + applicationBytes + OVERHEAD_BYTES;
        long treeMiB = DiskImagePlan.treeMiB(content) + applicationBytes / ImageSize.MIB;
        IsoBuilderScript script = new IsoBuilderScript(volumeId, ids.espSerial(), spec.firmware().bios(),
                spec.firmware().efi(), grub, applicationBytes > 0, timestamp, treeMiB);
        return new IsoImagePlan(roundUp(diskBytes, ImageSize.MIB), grub, script);
    }

    private static long roundUp(long bytes, long unit) {
        return (bytes + unit - 1) / unit * unit;
    }
}
