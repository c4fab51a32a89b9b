package dev.vmforge.vm;

import dev.vmforge.ShellQuoting;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@code qemu-system-x86_64} argument list: the one place that knows QEMU's option syntax. The list
 * can be logged (with {@code mvn -X}), tested, run, or rendered as a shell line for a generated script.
 *
 * <p>Defaults: machine {@code pc} (i440fx: boots SeaBIOS and OVMF, carries virtio-pci; the prototype's timings
 * were measured on it), 1 CPU (under TCG a second vCPU made builds slower), 1024 MiB, no default devices,
 * no reboot (a guest's {@code poweroff -f} or a panic ends QEMU), no display.
 */
public final class QemuCommand {
    /** A virtio disk. */
    public record Drive(Path file, DiskFormat format, boolean readOnly, boolean snapshot, boolean unsafeCache) {
        public Drive {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(format, "format");
        }

        /** A disk a builder VM writes, whose result is only trusted after a clean exit: no flushes needed. */
        public static Drive builderOutput(Path file, DiskFormat format) {
            return new Drive(file, format, false, false, true);
        }

        /** An input the guest must not change. */
        public static Drive readOnly(Path file, DiskFormat format) {
            return new Drive(file, format, true, false, false);
        }

        /** Writes go to a temporary overlay, so the image under test is never changed. */
        public static Drive snapshot(Path file, DiskFormat format) {
            return new Drive(file, format, false, true, false);
        }

        /** A disk the user keeps using (the run-vm script's system disk). */
        public static Drive persistent(Path file, DiskFormat format) {
            return new Drive(file, format, false, false, false);
        }
    }

    /** A host folder shared with the guest over 9p (virtio). */
    public record Share(Path directory, String mountTag, boolean readOnly) {
        public Share {
            Objects.requireNonNull(directory, "directory");
            if (mountTag == null || mountTag.isEmpty() || mountTag.length() > 31 || mountTag.contains(",")) {
                throw new IllegalArgumentException("9p mount tag must be 1..31 characters without commas: " + mountTag);
            }
        }
    }

    /**
     * A TCP port of the host forwarded to the guest by QEMU's user network, listening on {@code address} (an IPv4
     * address). Host port 0 is a free port the host chooses; QMP's {@code info usernet} tells which.
     */
    public record PortForward(String address, int hostPort, int guestPort) {
        public PortForward {
            Objects.requireNonNull(address, "address");
            if (hostPort < 0 || hostPort > 65535 || guestPort < 1 || guestPort > 65535) {
                throw new IllegalArgumentException("ports must be 0..65535 (host) and 1..65535 (guest): " + hostPort
                        + ":" + guestPort);
            }
        }

        /** On the loopback address only. */
        public PortForward(int hostPort, int guestPort) {
            this("127.0.0.1", hostPort, guestPort);
        }
    }

    private final Path executable;
    private final Accelerator accelerator;
    private String machine = "pc";
    private String cpuModel; // null: "host" with a hardware accelerator, else "max"
    private int cpus = 1;
    private int memoryMiB = 1024;
    private List<String> serial = List.of("-serial", "stdio");
    private Path kernel;
    private Path initrd;
    private String kernelArguments;
    private Path firmwareCode;
    private Path firmwareVariables;
    private final List<Drive> drives = new ArrayList<>();
    private final List<Share> shares = new ArrayList<>();
    private List<PortForward> network; // null: no network device
    private boolean randomNumberGenerator;
    private boolean graphic;
    private String name;
    private Path qmpSocket;
    private Path pidFile;
    private boolean paused;
    private final List<String> extra = new ArrayList<>();

    private QemuCommand(Path executable, Accelerator accelerator) {
        this.executable = Objects.requireNonNull(executable, "executable");
        if (accelerator == Accelerator.AUTO) {
            throw new IllegalArgumentException("resolve Accelerator.AUTO with AcceleratorProbe first");
        }
        this.accelerator = Objects.requireNonNull(accelerator, "accelerator");
    }

    public static QemuCommand create(QemuInstallation qemu, Accelerator accelerator) {
        return new QemuCommand(qemu.systemEmulator(), accelerator);
    }

    public static QemuCommand create(Path executable, Accelerator accelerator) {
        return new QemuCommand(executable, accelerator);
    }

    public QemuCommand machine(String machineType) {
        this.machine = Objects.requireNonNull(machineType);
        return this;
    }

    /** The CPU model ({@code -cpu}), instead of the default "host" (hardware accelerators) or "max" (TCG). */
    public QemuCommand cpuModel(String model) {
        this.cpuModel = Objects.requireNonNull(model);
        return this;
    }

    public QemuCommand cpus(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("cpus must be at least 1: " + count);
        }
        this.cpus = count;
        return this;
    }

    public QemuCommand memoryMiB(int mebibytes) {
        if (mebibytes < 16) {
            throw new IllegalArgumentException("memory must be at least 16 MiB: " + mebibytes);
        }
        this.memoryMiB = mebibytes;
        return this;
    }

    /** The first serial port (the guest's ttyS0 console) on QEMU's stdout: the default. */
    public QemuCommand serialToStdio() {
        this.serial = List.of("-serial", "stdio");
        return this;
    }

    /** The first serial port written to a file. */
    public QemuCommand serialToFile(Path file) {
        this.serial = List.of("-serial", "file:" + file);
        return this;
    }

    /**
     * The first serial port and QEMU's monitor multiplexed on this terminal, as {@code -nographic} does: the user
     * types to the guest's console, {@code Ctrl-a x} quits, {@code Ctrl-a c} switches to the monitor.
     */
    public QemuCommand serialToTerminal() {
        this.serial = List.of("-serial", "mon:stdio");
        return this;
    }

    /** The guest's name in QEMU's window title and process list. */
    public QemuCommand name(String guestName) {
        this.name = Objects.requireNonNull(guestName);
        return this;
    }

    /** A QMP server on a Unix socket, for the host to query and control the VM ({@link QmpClient}). */
    public QemuCommand qmp(Path socket) {
        this.qmpSocket = Objects.requireNonNull(socket);
        return this;
    }

    /** QEMU writes its process id there ({@code -pidfile}) and removes it when it exits. */
    public QemuCommand pidFile(Path file) {
        this.pidFile = Objects.requireNonNull(file);
        return this;
    }

    /** Start with the CPU stopped ({@code -S}); QMP's {@code cont} starts it. */
    public QemuCommand paused() {
        this.paused = true;
        return this;
    }

    /** Direct kernel boot: no bootloader, no disk needed to start. */
    public QemuCommand kernel(Path kernelImage, Path initialRamDisk, String commandLine) {
        this.kernel = Objects.requireNonNull(kernelImage);
        this.initrd = initialRamDisk;
        this.kernelArguments = commandLine;
        return this;
    }

    /** UEFI boot with OVMF; {@code variables} must be this run's own writable copy. */
    public QemuCommand uefi(Path code, Path variables) {
        this.firmwareCode = Objects.requireNonNull(code);
        this.firmwareVariables = Objects.requireNonNull(variables);
        return this;
    }

    public QemuCommand drive(Drive drive) {
        drives.add(Objects.requireNonNull(drive));
        return this;
    }

    public QemuCommand share(Share share) {
        shares.add(Objects.requireNonNull(share));
        return this;
    }

    /** A virtio NIC on QEMU's user network (NAT with DHCP), with the given port forwardings. */
    public QemuCommand userNetwork(List<PortForward> forwardings) {
        this.network = List.copyOf(forwardings);
        return this;
    }

    /** A virtio-rng device, so the guest's entropy pool fills without waiting. */
    public QemuCommand randomNumberGenerator() {
        this.randomNumberGenerator = true;
        return this;
    }

    /** Keep a display (VGA window) instead of {@code -display none}. */
    public QemuCommand graphic(boolean enabled) {
        this.graphic = enabled;
        return this;
    }

    /** Arguments appended verbatim at the end. */
    public QemuCommand extraArguments(String... arguments) {
        extra.addAll(List.of(arguments));
        return this;
    }

    /** The full command: executable first. */
    public List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add(executable.toString());
        if (name != null) {
            args.addAll(List.of("-name", name.replace(",", ",,")));
        }
        args.addAll(List.of("-machine", machine, "-accel", accelerator.qemuName(),
                "-cpu", cpuModel != null ? cpuModel : accelerator.cpuModel(),
                "-smp", Integer.toString(cpus), "-m", Integer.toString(memoryMiB)));
        if (graphic) {
            args.addAll(List.of("-nodefaults", "-no-reboot", "-vga", "std"));
        } else {
            args.addAll(List.of("-nodefaults", "-no-reboot", "-display", "none"));
        }
        args.addAll(serial);
        if (qmpSocket != null) {
            args.addAll(List.of("-qmp", "unix:" + escape(qmpSocket) + ",server=on,wait=off"));
        }
        if (pidFile != null) {
            args.addAll(List.of("-pidfile", pidFile.toString()));
        }
        if (paused) {
            args.add("-S");
        }
        if (firmwareCode != null) {
            args.addAll(List.of("-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + escape(firmwareCode),
                    "-drive", "if=pflash,format=raw,unit=1,file=" + escape(firmwareVariables)));
        }
        if (kernel != null) {
            args.addAll(List.of("-kernel", kernel.toString()));
            if (initrd != null) {
                args.addAll(List.of("-initrd", initrd.toString()));
            }
            if (kernelArguments != null && !kernelArguments.isEmpty()) {
                args.addAll(List.of("-append", kernelArguments));
            }
        }
        for (Drive drive : drives) {
            StringBuilder option = new StringBuilder("file=").append(escape(drive.file()))
                    .append(",if=virtio,format=").append(drive.format().qemuName());
            if (drive.unsafeCache()) {
                option.append(",cache=unsafe");
            }
            if (drive.readOnly()) {
                option.append(",readonly=on");
            } else {
                // a full host disk: by default QEMU pauses the guest (it would wait out the time limit);
                // reported, the guest's write fails and its program stops at once
                option.append(",werror=report,rerror=report");
            }
            if (drive.snapshot()) {
                option.append(",snapshot=on");
            }
            args.addAll(List.of("-drive", option.toString()));
        }
        for (Share share : shares) {
            args.addAll(List.of("-virtfs", "local,path=" + escape(share.directory())
                    + ",security_model=none,mount_tag=" + share.mountTag() + (share.readOnly() ? ",readonly=on" : "")));
        }
        if (network != null) {
            StringBuilder netdev = new StringBuilder("user,id=net0");
            for (PortForward forward : network) {
                netdev.append(",hostfwd=tcp:").append(forward.address()).append(':').append(forward.hostPort())
                        .append("-:").append(forward.guestPort());
            }
            // no option ROM: the guest boots from its disk or kernel, never from the network (iPXE costs boot time)
            args.addAll(List.of("-netdev", netdev.toString(), "-device", "virtio-net-pci,netdev=net0,romfile="));
        }
        if (randomNumberGenerator) {
            args.addAll(List.of("-device", "virtio-rng-pci"));
        }
        args.addAll(extra);
        return List.copyOf(args);
    }

    /** The command as one POSIX sh line, every word quoted as needed. */
    public String toShellLine() {
        return ShellQuoting.join(arguments());
    }

    @Override
    public String toString() {
        return toShellLine();
    }

    /** In a QEMU option value a comma separates options; a literal comma is written twice. */
    static String escape(Path path) {
        return path.toString().replace(",", ",,");
    }
}
