package dev.vmforge.os;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The {@code <vm>} block: how the system is run in QEMU. */
public record VmSpec(int memoryMiB, int cpus, boolean graphic, List<PortForward> portForwardings,
                     List<Share> shares, String accelerator, boolean persistent, boolean fullBoot) {

    public VmSpec {
        portForwardings = List.copyOf(portForwardings);
        shares = List.copyOf(shares);
    }

    /**
     * A TCP port of the host forwarded to the guest: {@code [ADDRESS:]HOST:GUEST}.
     *
     * @param address  the host address QEMU listens on: {@value #LOOPBACK} unless the POM names another, so a
     *                 service under development is not published to the network
     * @param hostPort 0: a free port, chosen when the VM starts
     */
    public record PortForward(String address, int hostPort, int guestPort) {
        public static final String LOOPBACK = "127.0.0.1";

        public PortForward {
            Objects.requireNonNull(address, "address");
        }

        /** On {@value #LOOPBACK}. */
        public PortForward(int hostPort, int guestPort) {
            this(LOOPBACK, hostPort, guestPort);
        }

        /** Where a client on this machine connects: the address, or the loopback for "every interface". */
        public String clientAddress() {
            return address.equals("0.0.0.0") ? LOOPBACK : address;
        }

        /** Whether the host port is chosen when the VM starts. */
        public boolean freeHostPort() {
            return hostPort == 0;
        }

        /** As the POM writes it, e.g. {@code 8080:80} or {@code 0.0.0.0:8080:80}. */
        @Override
        public String toString() {
            return (address.equals(LOOPBACK) ? "" : address + ":") + hostPort + ":" + guestPort;
        }
    }

    /** A host directory shared into the guest over 9p. */
    public record Share(Path source, String target, boolean writable) {
    }
}
