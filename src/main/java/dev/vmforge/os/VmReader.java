package dev.vmforge.os;

import dev.vmforge.os.pom.ShareConfig;
import dev.vmforge.os.pom.VmConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code <vm>}: 256 MiB, one CPU, serial console, accelerator chosen at run time, throw-away disk. */
final class VmReader {
    private static final List<String> ACCELERATORS = List.of("auto", "kvm", "hvf", "whpx", "tcg");
    /** QEMU's pc machine addresses at most 255 CPUs. */
    private static final int MAX_CPUS = 255;

    private final Path baseDirectory;

    VmReader(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    VmSpec read(VmConfig config) {
        VmConfig c = config == null ? new VmConfig() : config;
        return new VmSpec(
                Values.inRange("vm/memorySize", c.memorySize, 256, 64, Integer.MAX_VALUE, "the memory size in MiB"),
                Values.inRange("vm/cpus", c.cpus, 1, 1, MAX_CPUS, "the number of CPUs"),
                Values.flag(c.graphic, false),
                portForwardings(c.portForwardings),
                shares(c.shares),
                Values.oneOf("vm/accelerator", c.accelerator, "auto", ACCELERATORS),
                Values.flag(c.persistent, false),
                Values.flag(c.fullBoot, false));
    }

    /**
     * {@code [ADDRESS:]HOST:GUEST}, TCP. HOST 0 is a free port chosen at start; a fixed host port is forwarded once;
     * each guest port once, as {@code vm:start} publishes the host port under the guest port's name.
     */
    private static List<VmSpec.PortForward> portForwardings(List<String> texts) {
        List<String> given = texts == null ? List.of() : texts;
        List<VmSpec.PortForward> forwards = new ArrayList<>();
        FirstUse<Integer> hostPorts = new FirstUse<>("portForwarding");
        FirstUse<Integer> guestPorts = new FirstUse<>("portForwarding");
        for (int i = 0; i < given.size(); i++) {
            String element = Values.item("vm/portForwardings/portForwarding", i);
            String value = Values.required(element, given.get(i), "write HOST:GUEST ports such as 8080:80");
            String[] parts = value.split(":", -1);
            if (parts.length != 2 && parts.length != 3) {
                throw new InvalidConfigurationException(element, "'" + value + "' is not a forwarding;"
                        + " write [ADDRESS:]HOST:GUEST, e.g. 8080:80, 0:80 (a free host port) or 0.0.0.0:8080:80");
            }
            String address = parts.length == 3 ? ipv4Address(element, parts[0]) : VmSpec.PortForward.LOOPBACK;
            int hostPort = Values.port(element, parts[parts.length - 2], 0, "0 for a free port, or 1 to 65535");
            int guestPort = Values.port(element, parts[parts.length - 1]);
            VmSpec.PortForward forward = new VmSpec.PortForward(address, hostPort, guestPort);
            if (!forward.freeHostPort()) {
                hostPorts.claim(element, hostPort, i, "host port " + hostPort,
                        "forward each host port once, or use another host port (0: a free one)");
            }
            guestPorts.claim(element, guestPort, i, "guest port " + guestPort,
                    "forward each guest port once (vm:start publishes its host port as vm.port." + guestPort + ")");
            forwards.add(forward);
        }
        return forwards;
    }

    /** QEMU's user network listens on IPv4 addresses only (it reads them with inet_aton). */
    private static String ipv4Address(String element, String text) {
        String address = text.strip();
        String[] bytes = address.split("\\.", -1);
        boolean valid = bytes.length == 4;
        for (int i = 0; valid && i < 4; i++) {
            valid = bytes[i].matches("[0-9]{1,3}") && Integer.parseInt(bytes[i]) <= 255;
        }
        return Values.check(element, address, valid, "is not an IPv4 address to listen on; write e.g. 127.0.0.1"
                + " (the default, this machine only) or 0.0.0.0 (every interface) before HOST:GUEST");
    }

    /** Host directories shared over 9p, each mounted at its own absolute path in the guest. */
    private List<VmSpec.Share> shares(List<ShareConfig> configs) {
        List<ShareConfig> given = configs == null ? List.of() : configs;
        List<VmSpec.Share> shares = new ArrayList<>();
        FirstUse<String> targets = new FirstUse<>("share");
        for (int i = 0; i < given.size(); i++) {
            ShareConfig c = given.get(i) == null ? new ShareConfig() : given.get(i);
            String element = Values.item("vm/shares/share", i);
            Path source = Values.projectPath(element + "/source", baseDirectory, c.source, Values.Kind.DIRECTORY);
            String target = Values.absolutePathBelowRoot(element + "/target", c.target);
            // the guest's init reads vmforge.share=TAG:TARGET[:ro] from the kernel command line
            Values.kernelWord(element + "/target", target, "choose a mount point without them");
            Values.without(element + "/target", target, ':', "which separates a share's tag, target and mode for"
                    + " the guest's init; choose a mount point without it");
            targets.claim(element + "/target", target, i, "target '" + target + "'", "mount each share at its own path");
            shares.add(new VmSpec.Share(source, target, Values.flag(c.writable, false)));
        }
        return shares;
    }
}
