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

    /** {@code HOST:GUEST}, TCP; one forwarding per host port. */
    private static List<VmSpec.PortForward> portForwardings(List<String> texts) {
        List<String> given = texts == null ? List.of() : texts;
        List<VmSpec.PortForward> forwards = new ArrayList<>();
        FirstUse<Integer> hostPorts = new FirstUse<>("portForwarding");
        for (int i = 0; i < given.size(); i++) {
            String element = Values.item("vm/portForwardings/portForwarding", i);
            String value = Values.required(element, given.get(i), "write HOST:GUEST ports such as 8080:80");
            String[] ports = value.split(":", -1);
            if (ports.length != 2) {
                throw new InvalidConfigurationException(element, "'" + value + "' is not a forwarding;"
                        + " write the host port and the guest port as HOST:GUEST, e.g. 8080:80");
            }
            VmSpec.PortForward forward = new VmSpec.PortForward(Values.port(element, ports[0]), Values.port(element, ports[1]));
            hostPorts.claim(element, forward.hostPort(), i, "host port " + forward.hostPort(),
                    "forward each host port once, or use another host port");
            forwards.add(forward);
        }
        return forwards;
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
