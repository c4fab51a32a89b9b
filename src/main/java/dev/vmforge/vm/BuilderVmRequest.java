package dev.vmforge.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One run of the builder VM: which kernel and initramfs boot, which script runs, which disks it sees.
 *
 * <p>Disks in the guest: the output disk (if any) is {@code /dev/vda}; the input disks follow in order
 * ({@code /dev/vdb}, ...; from {@code /dev/vda} when there is no output disk). Input disks are raw and read-only:
 * a tar file can be an input disk as it is (its size is a multiple of 512 bytes), read with {@code tar -xf /dev/vdb}.
 * After them comes the disk the exchange folder returns on (see {@link BuilderInit}); scripts leave it alone.
 *
 * <p>The exchange folder {@code /xchg} is in the guest's RAM: its input files travel in the initramfs and what the
 * script leaves there is copied back after it ends, so both should be small (kilobytes to a few megabytes, well
 * under {@code memoryMiB}); large inputs are input disks and large outputs belong on the output disk.
 *
 * @param stepName        names the step in messages, the log and the exchange folder: letters, digits, {@code ._-}
 * @param script          the busybox sh script, run as {@code /xchg/build.sh} in {@code /xchg}
 * @param xchgFiles       small files put into the exchange folder before the run (name in /xchg -> host file)
 * @param outputDisk      created empty with qemu-img before the run, or null
 * @param logFile         the serial console log, e.g. {@code target/vm/logs/STEP.log}
 * @param workDirectory   where the fresh exchange folder {@code STEP.xchg} is made, e.g. {@code target/vm/work}
 * @param silenceLimit    a guest that prints nothing for this long is taken as hung and stopped
 * @param progress        how to count the step's progress in its console lines, or null
 */
public record BuilderVmRequest(String stepName, Path kernel, Path initrd, String script, Map<String, Path> xchgFiles,
                               List<Path> inputDisks, OutputDisk outputDisk, Duration timeLimit, Path logFile,
                               Path workDirectory, List<String> extraKernelArguments, int memoryMiB, int cpus,
                               Duration silenceLimit, Progress progress) {
    private static final Pattern STEP_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /** The disk the step writes (usually the image). */
    public record OutputDisk(Path file, DiskFormat format, long sizeBytes) {
        public OutputDisk {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(format, "format");
            if (sizeBytes <= 0) {
                throw new IllegalArgumentException("output disk size must be positive: " + sizeBytes);
            }
        }
    }

    /**
     * Console lines that each finish one of {@code total} units of work, e.g. dpkg's {@code Setting up NAME (...)};
     * group 1 of {@code line} names the unit in progress lines ({@code configure: 57/114 ca-certificates}).
     */
    public record Progress(Pattern line, int total) {
        public Progress {
            Objects.requireNonNull(line, "line");
        }
    }

    public BuilderVmRequest {
        Objects.requireNonNull(stepName, "stepName");
        Objects.requireNonNull(silenceLimit, "silenceLimit");
        if (!STEP_NAME.matcher(stepName).matches()) {
            throw new IllegalArgumentException("step name must be letters, digits, '.', '_' or '-': " + stepName);
        }
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(timeLimit, "timeLimit");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(workDirectory, "workDirectory");
        xchgFiles = Map.copyOf(xchgFiles);
        inputDisks = List.copyOf(inputDisks);
        extraKernelArguments = List.copyOf(extraKernelArguments);
        if (xchgFiles.containsKey(BuilderInit.SCRIPT_NAME) || xchgFiles.containsKey(BuilderInit.EXIT_STATUS_FILE)) {
            throw new IllegalArgumentException("xchg file names " + BuilderInit.SCRIPT_NAME + " and "
                    + BuilderInit.EXIT_STATUS_FILE + " are reserved");
        }
    }

    public static Builder builder(String stepName, Path kernel, Path initrd, String script) {
        return new Builder(stepName, kernel, initrd, script);
    }

    /** Defaults: no disks, 10 minutes, 1024 MiB, 1 CPU, log in {@code target/vm/logs}, work in {@code target/vm/work}. */
    public static final class Builder {
        private final String stepName;
        private final Path kernel;
        private final Path initrd;
        private final String script;
        private final Map<String, Path> xchgFiles = new LinkedHashMap<>();
        private final List<Path> inputDisks = new ArrayList<>();
        private OutputDisk outputDisk;
        private Duration timeLimit = Duration.ofMinutes(10);
        private Path logFile;
        private Path workDirectory = Path.of("target", "vm", "work");
        private final List<String> extraKernelArguments = new ArrayList<>();
        private int memoryMiB = 1024;
        private int cpus = 1;
        private Duration silenceLimit = Duration.ofMinutes(5);
        private Progress progress;

        private Builder(String stepName, Path kernel, Path initrd, String script) {
            this.stepName = stepName;
            this.kernel = kernel;
            this.initrd = initrd;
            this.script = script;
            this.logFile = Path.of("target", "vm", "logs", stepName + ".log");
        }

        public Builder xchgFile(String nameInXchg, Path hostFile) {
            xchgFiles.put(nameInXchg, hostFile);
            return this;
        }

        public Builder inputDisk(Path rawFile) {
            inputDisks.add(rawFile);
            return this;
        }

        public Builder outputDisk(Path file, DiskFormat format, long sizeBytes) {
            outputDisk = new OutputDisk(file, format, sizeBytes);
            return this;
        }

        public Builder timeLimit(Duration limit) {
            timeLimit = limit;
            return this;
        }

        public Builder logFile(Path file) {
            logFile = file;
            return this;
        }

        public Builder workDirectory(Path directory) {
            workDirectory = directory;
            return this;
        }

        public Builder kernelArgument(String argument) {
            extraKernelArguments.add(argument);
            return this;
        }

        public Builder memoryMiB(int mebibytes) {
            memoryMiB = mebibytes;
            return this;
        }

        public Builder cpus(int count) {
            cpus = count;
            return this;
        }

        /** A guest silent for this long is hung (default 5 minutes). */
        public Builder silenceLimit(Duration limit) {
            silenceLimit = limit;
            return this;
        }

        public Builder progress(Pattern line, int total) {
            progress = new Progress(line, total);
            return this;
        }

        public BuilderVmRequest build() {
            return new BuilderVmRequest(stepName, kernel, initrd, script, xchgFiles, inputDisks, outputDisk, timeLimit,
                    logFile, workDirectory, extraKernelArguments, memoryMiB, cpus, silenceLimit, progress);
        }
    }
}
