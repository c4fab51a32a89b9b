package dev.vmforge.image;

import dev.vmforge.os.ImageSpec;

import java.util.List;

/**
 * Everything decided on the host before the builder VM starts: the disk size, the partitions,
 * grub.cfg and the script. The VM runner creates an output disk of {@code size().diskBytes()},
 * attaches it first and the root file system's tar after it, and runs {@code script().text()}.
 */
public record DiskImagePlan(ImageSize size, PartitionLayout layout, GrubConfig grub, BuilderScript script) {

    /**
     * @param seed      the image derivation's key: every GUID and UUID in the image derives from it
     * @param kernel    e.g. {@code /boot/vmlinuz-6.1.0-56-amd64}, in the root file system
     * @param initrd    e.g. {@code /boot/initrd.img-6.1.0-56-amd64}, in the root file system
     * @param timestamp every time written into the image (SOURCE_DATE_EPOCH for mke2fs and mtools)
     * @param applicationBytes size of the {@link ApplicationPartitionFormat} (0: none); the builder VM leaves it empty
     */
    public static DiskImagePlan of(ImageSpec spec, ContentStats content, String seed, String hostName,
                                   String kernel, String initrd, List<String> kernelArguments,
                                   long timestamp, long applicationBytes) {
        ImageSize size = ImageSize.of(spec, content, applicationBytes);
        ImageIds ids = ImageIds.derive(seed);
        PartitionLayout layout = PartitionLayout.plan(spec, size.diskBytes(), ids, applicationBytes);
        GrubConfig grub = new GrubConfig(hostName, ids.rootUuid(), kernel, initrd, kernelArguments);
        return new DiskImagePlan(size, layout, grub, new BuilderScript(spec, layout, grub, timestamp, treeMiB(content)));
    }

    /** The tmpfs the builder unpacks the tree onto: its pages, GRUB's files and room for tmpfs's own use. */
    static long treeMiB(ContentStats content) {
        return (content.bytesIn4kBlocks() + ImageSize.GRUB_FILES_BYTES) / ImageSize.MIB + 64;
    }
}
