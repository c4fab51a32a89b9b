package dev.vmforge.launch;

import dev.vmforge.vm.DiskFormat;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a VM of the declared system boots. Either way the disk is opened with a copy-on-write overlay QEMU keeps
 * in a deleted temporary file, so the built disk never changes and nothing is left behind.
 */
public sealed interface BootableSystem {
    Path disk();

    DiskFormat format();

    /** The disk image of {@code vm:build-image}, booted through its firmware (SeaBIOS or OVMF) and GRUB. */
    record DiskImage(Path disk, DiskFormat format, boolean uefi) implements BootableSystem {
        public DiskImage {
            Objects.requireNonNull(disk, "disk");
            Objects.requireNonNull(format, "format");
        }
    }

    /** The system's kernel and initrd booted directly, the root on {@code disk}, as run-vm.sh does: faster. */
    record KernelBoot(Path kernel, Path initrd, Path disk, DiskFormat format, String commandLine)
            implements BootableSystem {
        public KernelBoot {
            Objects.requireNonNull(kernel, "kernel");
            Objects.requireNonNull(initrd, "initrd");
            Objects.requireNonNull(disk, "disk");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(commandLine, "commandLine");
        }
    }
}
