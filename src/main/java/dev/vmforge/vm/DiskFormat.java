package dev.vmforge.vm;

import java.util.Locale;

/** Disk image formats QEMU reads and {@code qemu-img} creates. */
public enum DiskFormat {
    RAW, QCOW2;

    public String qemuName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
