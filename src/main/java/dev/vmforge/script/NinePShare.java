package dev.vmforge.script;

import java.nio.file.Path;

/**
 * One host directory exported to the guest over virtio-9p and mounted there by the guest's init.
 *
 * @param source      absolute host directory
 * @param tag         the 9p mount tag ({@link MountTags})
 * @param guestTarget absolute guest directory the init mounts it on
 */
public record NinePShare(Path source, String tag, String guestTarget, boolean writable) {

    /** The value of QEMU's {@code -virtfs} option; security_model=none: files keep the host user's ownership. */
    String virtfsOption() {
        return "local,path=" + QemuOptions.escape(source.toString()) + ",mount_tag=" + tag
                + ",security_model=none" + (writable ? "" : ",readonly=on");
    }

    /** What the guest's init reads from the kernel command line: {@code vmforge.share=TAG:/target[:ro]}. */
    String kernelArgument() {
        return "vmforge.share=" + tag + ":" + guestTarget + (writable ? "" : ":ro");
    }
}
