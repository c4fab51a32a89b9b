package dev.vmforge.os;

import java.nio.file.Path;
import java.util.List;

/** The {@code <vm>} block: how the system is run in QEMU. */
public record VmSpec(int memoryMiB, int cpus, boolean graphic, List<PortForward> portForwardings,
                     List<Share> shares, String accelerator, boolean persistent, boolean fullBoot) {

    public VmSpec {
        portForwardings = List.copyOf(portForwardings);
        shares = List.copyOf(shares);
    }

    /** A TCP port of the host forwarded to the guest. */
    public record PortForward(int hostPort, int guestPort) {
    }

    /** A host directory shared into the guest over 9p. */
    public record Share(Path source, String target, boolean writable) {
    }
}
