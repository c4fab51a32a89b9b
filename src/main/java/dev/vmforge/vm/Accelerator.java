package dev.vmforge.vm;

import dev.vmforge.os.InvalidConfigurationException;

import java.util.Locale;

/** How QEMU executes guest code: a hypervisor of the host, or TCG (software emulation, always available). */
public enum Accelerator {
    /** Pick the host's hypervisor when it works, else TCG; see {@link AcceleratorProbe}. */
    AUTO,
    KVM,
    HVF,
    WHPX,
    TCG;

    /** The name QEMU's {@code -accel} option takes. */
    public String qemuName() {
        if (this == AUTO) {
            throw new IllegalStateException("AUTO must be resolved by AcceleratorProbe before building a command line");
        }
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for hypervisors that run guest code on the host CPU, where {@code -cpu host} is right. */
    public boolean isHardware() {
        return this == KVM || this == HVF || this == WHPX;
    }

    /** The {@code -cpu} model: the host's own CPU under KVM and HVF; under TCG (and WHPX, which lacks "host") all
     *  features QEMU can offer. */
    public String cpuModel() {
        return this == KVM || this == HVF ? "host" : "max";
    }

    /** Parses the {@code <vm><accelerator>} value (case-insensitive). */
    public static Accelerator parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("vm/accelerator",
                    "unknown accelerator '" + value + "': use one of auto, kvm, hvf, whpx, tcg");
        }
    }
}
