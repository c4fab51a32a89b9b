package dev.vmforge.vm;

import dev.vmforge.BuildException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Creates disk images with {@code qemu-img}. */
public final class QemuImg {
    private static final Duration TIME_LIMIT = Duration.ofMinutes(2);

    private final QemuInstallation qemu;

    public QemuImg(QemuInstallation qemu) {
        this.qemu = qemu;
    }

    /** Creates an empty (sparse) disk of {@code sizeBytes}, replacing any file there. */
    public void create(Path file, DiskFormat format, long sizeBytes) {
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("disk size must be positive: " + sizeBytes);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            List<String> command = List.of(qemu.imageTool().toString(), "create", "-q", "-f", format.qemuName(),
                    file.toString(), Long.toString(sizeBytes));
            StringBuilder output = new StringBuilder();
            BoundedProcess.Outcome outcome = BoundedProcess.run(command, null, TIME_LIMIT,
                    line -> output.append(line).append('\n'), null, null);
            if (outcome.timedOut() || outcome.exitStatus() != 0 || !Files.isRegularFile(file)) {
                throw new BuildException("qemu-img could not create the disk " + file + " ("
                        + (outcome.timedOut() ? "no answer in " + TIME_LIMIT.toSeconds() + " s"
                        : "exit status " + outcome.exitStatus()) + "): " + output.toString().strip());
            }
        } catch (IOException e) {
            throw new BuildException("could not run " + qemu.imageTool() + " to create " + file + ": " + e.getMessage(), e);
        }
    }
}
