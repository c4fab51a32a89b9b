package dev.vmforge.system;

import java.util.List;

/**
 * What the system's root file system lives on, as its initrd sees it: which kernel modules the initrd carries for
 * it. A volatile root (a USB stick that must never be written, or an ISO) can appear on any bus, so its initrd
 * carries the drivers of all of them that the kernel has as modules; what the medium cannot work without is
 * required, and a kernel that lacks it is a configuration error naming {@code <kernel>}.
 */
public enum RootMedium {
    /** A writable disk image on virtio: the base drivers only. */
    DISK(List.of(), List.of()),
    /** A disk image whose root is read-only under a tmpfs overlay, found by UUID on any bus. */
    VOLATILE_DISK(List.of("overlay"), Buses.ALL),
    /** An ISO 9660 image, booted as a CD/DVD or written to a USB stick. */
    ISO(List.of("overlay", "isofs", "sr_mod", "usb_storage"), Buses.ALL);

    private final List<String> required;
    private final List<String> optional;

    RootMedium(List<String> required, List<String> optional) {
        this.required = required;
        this.optional = optional;
    }

    /** Modules (or aliases) this medium cannot boot without. */
    public List<String> requiredModules() {
        return required;
    }

    /** Drivers of the buses the medium may appear on, loaded when the kernel has them. */
    public List<String> optionalModules() {
        return optional;
    }

    /** The kernel arguments that tell the initrd how to mount the root. */
    public List<String> kernelArguments() {
        // a USB stick is enumerated late, all the more under emulation: wait longer than for a virtio disk
        return this == DISK ? List.of() : List.of(SystemInitrd.VOLATILE_ARGUMENT, "rootwait=60");
    }

    public static RootMedium of(boolean iso, boolean volatileRoot) {
        return iso ? ISO : volatileRoot ? VOLATILE_DISK : DISK;
    }

    private static final class Buses {
        /** SATA/IDE (CD-ROMs and disks on QEMU's pc and q35 machines), USB 2/3 mass storage, NVMe, virtio-scsi. */
        static final List<String> ALL = List.of("ata_piix", "ahci", "sd_mod", "sr_mod", "isofs",
                "xhci_pci", "ehci_pci", "usb_storage", "uas", "nvme", "virtio_scsi");
    }
}
