package dev.vmforge.vm;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.fs.DiskSpace;
import dev.vmforge.fs.HostFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one build step in a throw-away QEMU virtual machine, as Guix's {@code expression->derivation-in-linux-vm}:
 * boot a kernel and the builder initramfs (whose {@code /init} is {@link BuilderInit#script()}) with a fresh exchange
 * folder in it ({@link ExchangeInitrd}), run the step's script there, and read the folder and the script's exit
 * status back from a disk the guest writes last ({@link ExchangeDisk}). No shared folder: the fast-booting kernels
 * (Debian's cloud flavour) have no 9p.
 *
 * <p>A missing exit status means the VM died (kernel panic, missing driver, QEMU error); a non-zero one is a failed
 * step; a run past its time limit is killed. Each failure names the step and the serial log and quotes the log's
 * last lines.
 */
public final class BuilderVm {
    static final int TAIL_LINES = 20;
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);
    /**
     * Under TCG: without ERMS/FSRM the guest kernel copies memory with {@code rep movsq} instead of
     * {@code rep movsb}, which QEMU emulates several times faster (the root file system unpack is mostly copying).
     */
    static final String SOFTWARE_CPU_MODEL = "max,erms=off,fsrm=off";
    private static final Pattern MARKER =
            Pattern.compile(BuilderInit.PHASE_MARKER + " (\\S+) ([0-9]+(?:\\.[0-9]+)?)\\s*$");

    private final QemuInstallation qemu;
    private final Accelerator accelerator;
    private final BuildLog log;
    private final Duration progressInterval;
    private final List<String> kernelArguments;

    /** @param accelerator already resolved by {@link AcceleratorProbe} (not AUTO) */
    public BuilderVm(QemuInstallation qemu, Accelerator accelerator, BuildLog log) {
        this(qemu, accelerator, log, List.of());
    }

    /**
     * @param kernelArguments appended to every run's kernel command line, last (diagnostics: they change how the
     *                        builder runs, never what a step makes)
     */
    public BuilderVm(QemuInstallation qemu, Accelerator accelerator, BuildLog log, List<String> kernelArguments) {
        this(qemu, accelerator, log, PROGRESS_INTERVAL, kernelArguments);
    }

    BuilderVm(QemuInstallation qemu, Accelerator accelerator, BuildLog log, Duration progressInterval) {
        this(qemu, accelerator, log, progressInterval, List.of());
    }

    private BuilderVm(QemuInstallation qemu, Accelerator accelerator, BuildLog log, Duration progressInterval,
                      List<String> kernelArguments) {
        if (accelerator == Accelerator.AUTO) {
            throw new IllegalArgumentException("resolve Accelerator.AUTO with AcceleratorProbe first");
        }
        this.qemu = qemu;
        this.accelerator = accelerator;
        this.log = log;
        this.progressInterval = progressInterval;
        this.kernelArguments = List.copyOf(kernelArguments);
    }

    /**
     * {@code -Dvm.builderKernelArguments}: blank-separated kernel arguments; refused with a quote or a backslash,
     * which the kernel's parser would take apart.
     */
    public static List<String> parseKernelArguments(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> arguments = List.of(text.strip().split("\\s+"));
        for (String argument : arguments) {
            if (argument.matches(".*[\"'\\\\].*")) {
                throw new BuildException("vm.builderKernelArguments: '" + argument + "' contains a quote or a backslash;"
                        + " give kernel arguments as blank-separated words without them");
            }
        }
        return arguments;
    }

    /** Runs the step; returns only when its script exited 0, else throws {@link BuildException}. */
    public BuilderVmResult run(BuilderVmRequest request) {
        String step = request.stepName();
        Path xchg = prepareExchangeFolder(request);
        Path work = xchg.getParent();
        Path initrd = work.resolve(step + ".initrd");
        Path xchgOut = work.resolve(step + ".xchg-out.raw");
        try {
            ExchangeInitrd.write(xchg, request.initrd(), initrd);
            // /xchg lives in the guest's RAM, so its archive never outgrows a disk of the memory's size (sparse)
            ExchangeDisk.create(xchgOut, (long) request.memoryMiB() << 20);
        } catch (IOException e) {
            throw new BuildException("could not prepare the exchange files in " + work + " for builder VM step '"
                    + step + "': " + e.getMessage(), e);
        }
        if (request.outputDisk() != null) {
            BuilderVmRequest.OutputDisk disk = request.outputDisk();
            new QemuImg(qemu).create(disk.file(), disk.format(), disk.sizeBytes());
        }
        QemuCommand command = command(request, initrd, xchgOut);
        log.info("builder VM '" + step + "': starting (" + accelerator.qemuName() + ", log " + request.logFile() + ")");
        log.debug("builder VM '" + step + "': " + command.toShellLine());

        ConsoleRecorder console = new ConsoleRecorder(request.logFile(), step, request.progress());
        BoundedProcess.Outcome outcome;
        try {
            console.open(command.toShellLine());
            outcome = BoundedProcess.run(command.arguments(), work, request.timeLimit(), console::accept,
                    progressInterval, elapsedMillis -> {
                        if (console.silence().compareTo(request.silenceLimit()) >= 0) {
                            return false; // hung: stopped now, reported below
                        }
                        log.info("builder VM '" + step + "': " + elapsedMillis / 1000 + " s" + console.doing());
                        return true;
                    });
        } catch (IOException e) {
            throw new BuildException("could not start QEMU (" + qemu.systemEmulator() + ") for builder VM step '"
                    + step + "': " + e.getMessage(), e);
        } finally {
            console.close();
        }

        Path logFile = request.logFile();
        if (outcome.timedOut() || outcome.stopped() || outcome.exitStatus() != 0) {
            requireSpaceLeft(request, step); // a full host disk fails the guest's writes: say so, not "step failed"
        }
        if (outcome.stopped()) {
            deleteQuietly(initrd, xchgOut);
            throw new BuildException("builder VM step '" + step + "' printed nothing for "
                    + request.silenceLimit().toSeconds() + " s" + console.doing() + ": it is taken as hung and was"
                    + " stopped (if it is only slow, raise -Dvm.hangTimeout); serial log: " + logFile
                    + lastLines(console));
        }
        if (outcome.timedOut()) {
            deleteQuietly(initrd, xchgOut);
            throw new BuildException("builder VM step '" + step + "' exceeded its time limit of "
                    + request.timeLimit().toSeconds() + " s; serial log: " + logFile + lastLines(console));
        }
        ExchangeDisk.Unpacked unpacked = unpackExchangeDisk(xchgOut, xchg, step);
        deleteQuietly(initrd, xchgOut);
        unpacked.skipped().forEach(name -> log.warn("builder VM '" + step + "': skipped " + name
                + " of the exchange folder: only files and directories come back to the host"));
        Path exitStatusFile = xchg.resolve(BuilderInit.EXIT_STATUS_FILE);
        if (!Files.isRegularFile(exitStatusFile)) {
            throw new BuildException("the builder VM died before finishing step '" + step + "' (QEMU exit status "
                    + outcome.exitStatus() + "); see " + logFile + lastLines(console));
        }
        int status = readExitStatus(exitStatusFile, step);
        if (status != 0) {
            requireSpaceLeft(request, step);
            throw new BuildException("step '" + step + "' failed with exit status " + status + "; full log: "
                    + logFile + lastLines(console));
        }
        log.info("builder VM '" + step + "': done in " + String.format("%.1f", outcome.wallTime().toMillis() / 1000.0)
                + " s");
        return new BuilderVmResult(step, outcome.wallTime(), console.phases(), xchg, logFile,
                request.outputDisk() == null ? null : request.outputDisk().file());
    }

    /** Fails naming the disk when the output disk's or the work folder's file system is (nearly) full. */
    private static void requireSpaceLeft(BuilderVmRequest request, String step) {
        List<Path> directories = new ArrayList<>(List.of(request.workDirectory()));
        if (request.outputDisk() != null) {
            directories.add(request.outputDisk().file().toAbsolutePath().getParent());
        }
        for (Path directory : directories) {
            DiskSpace.requireNotFull(directory, "builder VM step '" + step + "'");
        }
    }

    /**
     * The guest's {@code /xchg} replaces what the host put in: the folder afterwards is what the script left,
     * as with a shared folder.
     */
    private static ExchangeDisk.Unpacked unpackExchangeDisk(Path disk, Path xchg, String step) {
        try {
            HostFiles.deleteRecursively(xchg);
            Files.createDirectories(xchg);
        } catch (IOException e) {
            throw new BuildException("could not empty the exchange folder " + xchg + " of builder VM step '" + step
                    + "': " + e.getMessage(), e);
        }
        return ExchangeDisk.unpack(disk, xchg);
    }

    /**
     * Disks in the guest: the output disk {@code /dev/vda} (if any), the inputs in order, the exchange disk last,
     * so a step's script names its disks the same whether or not anything comes back through the exchange folder.
     */
    QemuCommand command(BuilderVmRequest request, Path initrd, Path xchgOut) {
        int disks = (request.outputDisk() == null ? 0 : 1) + request.inputDisks().size();
        StringBuilder kernelCommandLine = new StringBuilder(BuilderInit.KERNEL_COMMAND_LINE)
                .append(' ').append(BuilderInit.XCHG_OUT_ARGUMENT).append(guestDisk(disks));
        request.extraKernelArguments().forEach(argument -> kernelCommandLine.append(' ').append(argument));
        kernelArguments.forEach(argument -> kernelCommandLine.append(' ').append(argument));
        QemuCommand command = QemuCommand.create(qemu, accelerator)
                .cpus(request.cpus())
                .memoryMiB(request.memoryMiB())
                .serialToStdio()
                .kernel(request.kernel().toAbsolutePath(), initrd.toAbsolutePath(), kernelCommandLine.toString());
        if (request.outputDisk() != null) {
            BuilderVmRequest.OutputDisk disk = request.outputDisk();
            command.drive(QemuCommand.Drive.builderOutput(disk.file().toAbsolutePath(), disk.format()));
        }
        for (Path input : request.inputDisks()) {
            command.drive(QemuCommand.Drive.readOnly(input.toAbsolutePath(), DiskFormat.RAW));
        }
        command.drive(QemuCommand.Drive.builderOutput(xchgOut.toAbsolutePath(), DiskFormat.RAW));
        if (!accelerator.isHardware()) {
            command.cpuModel(SOFTWARE_CPU_MODEL);
        }
        return command;
    }

    /** The guest's name of the virtio disk at {@code index}: vda..vdz, then vdaa... as the kernel counts. */
    static String guestDisk(int index) {
        String name = "";
        int i = index;
        do {
            name = (char) ('a' + i % 26) + name;
            i = i / 26 - 1;
        } while (i >= 0);
        return "/dev/vd" + name;
    }

    private static void deleteQuietly(Path... files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover in the work folder is replaced by the next run of the step
            }
        }
    }

    /** A fresh {@code WORK/STEP.xchg} holding build.sh and the requested small inputs. */
    private static Path prepareExchangeFolder(BuilderVmRequest request) {
        Path xchg = request.workDirectory().resolve(request.stepName() + ".xchg").toAbsolutePath();
        try {
            HostFiles.deleteRecursively(xchg);
            Files.createDirectories(xchg);
            Files.writeString(xchg.resolve(BuilderInit.SCRIPT_NAME), request.script().replace("\r\n", "\n"),
                    StandardCharsets.UTF_8);
            for (Map.Entry<String, Path> file : request.xchgFiles().entrySet()) {
                Path target = xchg.resolve(file.getKey()).normalize();
                if (!target.startsWith(xchg)) {
                    throw new IllegalArgumentException("xchg file name escapes the exchange folder: " + file.getKey());
                }
                Files.createDirectories(target.getParent());
                Files.copy(file.getValue(), target, StandardCopyOption.REPLACE_EXISTING);
            }
            return xchg;
        } catch (IOException e) {
            throw new BuildException("could not prepare the exchange folder " + xchg + " for builder VM step '"
                    + request.stepName() + "': " + e.getMessage(), e);
        }
    }

    private static int readExitStatus(Path file, String step) {
        try {
            return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            throw new BuildException("builder VM step '" + step + "' left an unreadable exit status in " + file
                    + ": " + e.getMessage());
        }
    }

    private static String lastLines(ConsoleRecorder console) {
        List<String> tail = console.tail();
        if (tail.isEmpty()) {
            return " (the log is empty)";
        }
        return System.lineSeparator() + "last lines of the log:" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", tail);
    }

    /** Writes the console to the log file as it arrives, keeps its last lines and phase markers. */
    private final class ConsoleRecorder {
        private final Path file;
        private final String step;
        private final Deque<String> tail = new ArrayDeque<>();
        private final List<BuilderVmResult.PhaseMarker> phases = new ArrayList<>();
        private final long start = System.nanoTime();
        private final BuilderVmRequest.Progress progress;
        private long lastLine = System.nanoTime();
        private int done;
        private String unit;
        private BufferedWriter writer;

        ConsoleRecorder(Path file, String step, BuilderVmRequest.Progress progress) {
            this.file = file;
            this.step = step;
            this.progress = progress;
        }

        /** How long the guest has printed nothing. */
        synchronized Duration silence() {
            return Duration.ofNanos(System.nanoTime() - lastLine);
        }

        /**
         * What the guest is doing, for progress lines: the units done ({@code , 57/114 ca-certificates}), else the
         * last phase it announced ({@code , grub-install-bios}).
         */
        synchronized String doing() {
            if (progress != null && unit != null) {
                return ", " + done + "/" + progress.total() + " " + unit;
            }
            return phases.isEmpty() ? "" : ", " + phases.get(phases.size() - 1).name();
        }

        void open(String commandLine) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            writer.write("# builder VM step '" + step + "': " + commandLine);
            writer.newLine();
            writer.flush();
        }

        synchronized void accept(String line) {
            lastLine = System.nanoTime();
            Duration elapsed = Duration.ofNanos(lastLine - start);
            if (progress != null) {
                Matcher unitDone = progress.line().matcher(line);
                if (unitDone.find()) {
                    done++;
                    unit = unitDone.group(1);
                }
            }
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
            Matcher marker = MARKER.matcher(line);
            if (marker.find()) {
                phases.add(new BuilderVmResult.PhaseMarker(marker.group(1), Double.parseDouble(marker.group(2)), elapsed));
            }
            if (log.isDebugEnabled()) {
                log.debug("[" + step + "] " + line);
            }
            if (writer == null) {
                return;
            }
            try {
                writer.write(line);
                writer.newLine();
                writer.flush(); // so `tail -f` on the log follows the build
            } catch (IOException e) {
                // Keep draining QEMU's output (a full pipe would stall the guest); say once that the log is cut.
                log.warn("cannot write the serial log " + file + ": " + e.getMessage() + "; the log is incomplete");
                closeQuietly();
            }
        }

        synchronized List<String> tail() {
            return List.copyOf(tail);
        }

        synchronized List<BuilderVmResult.PhaseMarker> phases() {
            return List.copyOf(phases);
        }

        synchronized void close() {
            closeQuietly();
        }

        private void closeQuietly() {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException ignored) {
                    // the log is diagnostic; the run's outcome does not depend on it
                }
                writer = null;
            }
        }
    }
}
