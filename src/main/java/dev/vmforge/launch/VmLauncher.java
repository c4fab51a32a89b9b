package dev.vmforge.launch;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.os.VmSpec;
import dev.vmforge.vm.Accelerator;
import dev.vmforge.vm.LeashedProcess;
import dev.vmforge.vm.OvmfFirmware;
import dev.vmforge.vm.QemuCommand;
import dev.vmforge.vm.QemuInstallation;
import dev.vmforge.vm.QmpClient;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts a VM of the declared system: QEMU on a {@link LeashedProcess leash} (it ends with this JVM), paused until
 * its QMP socket answers and the forwarded ports are known (a free host port is chosen by QEMU itself, so no other
 * program can take it in between), then running. Its files are in the project's {@code target/vm}:
 * {@code console-ID.log} (the serial console, kept after the VM stopped), {@code qemu-ID.log} (QEMU's own
 * messages), {@code vm-ID.pid} (QEMU's {@code -pidfile}, while it runs: a later start ends a VM that an earlier
 * build left, should one survive its leash) and {@code qmp-ID.sock}.
 */
public final class VmLauncher {
    /** Under software emulation, as {@code BuilderVm}: the guest copies memory faster without ERMS/FSRM. */
    private static final String SOFTWARE_CPU_MODEL = "max,erms=off,fsrm=off";
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(30);
    /** Linux's limit for a Unix socket path is 108 bytes with the final NUL. */
    private static final int MAX_SOCKET_PATH = 100;

    /** Where the serial console goes: a file in the background, or this terminal in the foreground. */
    public enum Console { FILE, TERMINAL }

    /**
     * One VM to start.
     *
     * @param id            the VM's name among the project's VMs ({@code <start><id>})
     * @param name          the guest's name for QEMU (the host name)
     * @param workDirectory the project's {@code target/vm}
     */
    public record Launch(String id, String name, BootableSystem system, VmSpec vm, Console console,
                         Path workDirectory) {
        public Launch {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(vm, "vm");
            Objects.requireNonNull(console, "console");
            Objects.requireNonNull(workDirectory, "workDirectory");
        }
    }

    private final QemuInstallation qemu;
    private final Accelerator accelerator;
    private final BuildLog log;

    /** @param accelerator already resolved (not AUTO) */
    public VmLauncher(QemuInstallation qemu, Accelerator accelerator, BuildLog log) {
        this.qemu = qemu;
        this.accelerator = accelerator;
        this.log = log;
    }

    /**
     * Starts the VM and returns it running, its ports known; it is not ready yet ({@link Readiness}).
     *
     * @throws BuildException when a fixed host port is taken, QEMU cannot start, or its QMP socket does not answer
     */
    public RunningVm start(Launch launch) {
        VmFiles files = VmFiles.of(launch.workDirectory(), launch.id());
        try {
            Files.createDirectories(files.directory());
            Leftovers.end(files, log);
            Files.deleteIfExists(files.console());
            Files.deleteIfExists(files.qmpSocket());
        } catch (IOException e) {
            throw new BuildException("cannot prepare " + files.directory() + " for VM '" + launch.id() + "': "
                    + e.getMessage(), e);
        }
        requireFreeHostPorts(launch.vm());
        QemuCommand command = command(launch, files);
        log.debug("VM '" + launch.id() + "': " + command.toShellLine());

        long launched = System.nanoTime();
        LeashedProcess process;
        try {
            process = LeashedProcess.start(command.arguments(), files.directory(), streams(launch, files));
        } catch (IOException e) {
            throw new BuildException("could not start QEMU (" + qemu.systemEmulator() + ") for VM '" + launch.id()
                    + "': " + e.getMessage(), e);
        }
        QmpClient qmp = null;
        try {
            qmp = QmpClient.connect(files.qmpSocket(), QMP_TIMEOUT, process::isAlive);
            List<VmSpec.PortForward> ports = forwardedPorts(qmp.userNetwork(), launch.vm().portForwardings());
            RunningVm vm = new RunningVm(launch.id(), process, qmp, files, ports, new BootTimeline(launched), log);
            vm.timeline().qemuReady(System.nanoTime());
            qmp.resume();
            return vm;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (qmp != null) {
                qmp.close();
            }
            process.kill();
            files.deleteRuntimeFiles();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new BuildException("QEMU did not start VM '" + launch.id() + "': " + e.getMessage()
                    + qemuMessages(launch, files), e);
        }
    }

    QemuCommand command(Launch launch, VmFiles files) {
        VmSpec vm = launch.vm();
        QemuCommand command = QemuCommand.create(qemu, accelerator)
                .name(launch.name())
                .cpus(vm.cpus())
                .memoryMiB(vm.memoryMiB())
                .graphic(vm.graphic() && launch.console() == Console.TERMINAL)
                .qmp(files.qmpSocket())
                .pidFile(files.pidFile())
                .paused()
                .randomNumberGenerator();
        if (launch.console() == Console.TERMINAL) {
            command.serialToTerminal();
        } else {
            command.serialToFile(files.console());
        }
        if (!accelerator.isHardware()) {
            command.cpuModel(SOFTWARE_CPU_MODEL);
        }
        BootableSystem system = launch.system();
        if (system instanceof BootableSystem.KernelBoot direct) {
            command.kernel(direct.kernel().toAbsolutePath(), direct.initrd().toAbsolutePath(), direct.commandLine());
        } else if (system instanceof BootableSystem.DiskImage image && image.uefi()) {
            OvmfFirmware firmware = OvmfFirmware.require(qemu);
            command.uefi(firmware.code(), firmware.copyVariablesTo(files.directory().resolve("efivars-"
                    + launch.id() + ".fd")));
        }
        command.drive(QemuCommand.Drive.snapshot(system.disk().toAbsolutePath(), system.format()));
        List<QemuCommand.PortForward> forwards = new ArrayList<>();
        for (VmSpec.PortForward f : vm.portForwardings()) {
            forwards.add(new QemuCommand.PortForward(f.address(), f.hostPort(), f.guestPort()));
        }
        return command.userNetwork(forwards);
    }

    private static LeashedProcess.Streams streams(Launch launch, VmFiles files) {
        return launch.console() == Console.TERMINAL
                ? LeashedProcess.Streams.terminal(System.console() != null)
                : LeashedProcess.Streams.file(files.qemuLog());
    }

    /**
     * A taken fixed port fails before QEMU starts, naming the forwarding; QEMU's own message ("could not set up
     * host forwarding rule") names no POM element.
     */
    static void requireFreeHostPorts(VmSpec vm) {
        for (int i = 0; i < vm.portForwardings().size(); i++) {
            VmSpec.PortForward forward = vm.portForwardings().get(i);
            if (forward.freeHostPort()) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true); // as QEMU: a closed connection's TIME_WAIT does not count
                probe.bind(new InetSocketAddress(forward.address(), forward.hostPort()));
            } catch (IOException e) {
                throw new BuildException("<vm><portForwardings><portForwarding>[" + (i + 1) + "] '" + forward
                        + "': host port " + forward.hostPort() + " on " + forward.address() + " is not free ("
                        + e.getMessage() + "): stop the program listening there, choose another port, or write 0:"
                        + forward.guestPort() + " to let vm:start pick a free one");
            }
        }
    }

    /** The host port each forwarding got, from the user network's listening sockets. */
    static List<VmSpec.PortForward> forwardedPorts(List<QmpClient.UserNetworkSocket> sockets,
                                                   List<VmSpec.PortForward> declared) {
        List<VmSpec.PortForward> ports = new ArrayList<>();
        for (VmSpec.PortForward forward : declared) {
            Optional<QmpClient.UserNetworkSocket> listening = sockets.stream()
                    .filter(s -> s.protocol().equals("TCP") && s.state().equals("HOST_FORWARD")
                            && s.guestPort() == forward.guestPort())
                    .findFirst();
            if (listening.isEmpty()) {
                throw new IllegalStateException("QEMU's user network lists no forwarding to guest port "
                        + forward.guestPort() + ": " + sockets);
            }
            ports.add(new VmSpec.PortForward(forward.address(), listening.get().hostPort(), forward.guestPort()));
        }
        return ports;
    }

    private static String qemuMessages(Launch launch, VmFiles files) {
        if (launch.console() == Console.TERMINAL) {
            return "";
        }
        try {
            String text = Files.exists(files.qemuLog())
                    ? Files.readString(files.qemuLog(), StandardCharsets.UTF_8).strip() : "";
            return text.isEmpty() ? "" : System.lineSeparator() + "QEMU said: " + text;
        } catch (IOException e) {
            return "";
        }
    }

    /** The VM's files in {@code target/vm}. */
    record VmFiles(Path directory, String id, Path qmpSocket) {
        static VmFiles of(Path workDirectory, String id) {
            Path directory = workDirectory.toAbsolutePath().normalize();
            Path socket = directory.resolve("qmp-" + id + ".sock");
            if (socket.toString().length() > MAX_SOCKET_PATH) {
                // a deep project directory: the socket goes to a private temporary directory instead
                try {
                    socket = Files.createTempDirectory("vm-maven-plugin-qmp").resolve(id + ".sock");
                } catch (IOException e) {
                    throw new BuildException("cannot create a directory for QEMU's QMP socket: " + e.getMessage(), e);
                }
            }
            return new VmFiles(directory, id, socket);
        }

        Path console() {
            return directory.resolve("console-" + id + ".log");
        }

        Path qemuLog() {
            return directory.resolve("qemu-" + id + ".log");
        }

        Path pidFile() {
            return directory.resolve("vm-" + id + ".pid");
        }

        /** What a stopped VM leaves besides its logs. */
        void deleteRuntimeFiles() {
            for (Path file : List.of(pidFile(), qmpSocket(), directory.resolve("efivars-" + id + ".fd"))) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the next start of this VM deletes them
                }
            }
            if (!qmpSocket.getParent().equals(directory)) {
                qmpSocket.getParent().toFile().delete();
            }
        }
    }
}
