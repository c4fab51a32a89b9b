package dev.vmforge.vm;

import dev.vmforge.BuildException;
import dev.vmforge.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creates and composes disk images with {@code qemu-img}. */
public final class QemuImg {
    private static final Duration TIME_LIMIT = Duration.ofMinutes(2);

    private final QemuInstallation qemu;

    public QemuImg(QemuInstallation qemu) {
        this.qemu = qemu;
    }

    /**
     * Writes {@code out}: a copy of the disk {@code source} of {@code sourceBytes} whose bytes from {@code offset}
     * on are those of the raw file {@code replacement} (the rest of the disk stays as it was). One
     * {@code qemu-img convert} of three inputs: the source before the range, the replacement, the source after it;
     * zeros stay sparse. The caller writes to a temporary path it renames.
     */
    public void copyReplacing(Path source, DiskFormat sourceFormat, long sourceBytes, long offset, Path replacement,
                              Path out, DiskFormat outFormat) {
        try {
            long length = Files.size(replacement);
            if (offset < 0 || offset + length > sourceBytes) {
                throw new IllegalArgumentException("bytes " + offset + "+" + length + " are not inside the disk of "
                        + sourceBytes + " bytes");
            }
            Files.deleteIfExists(out);
            List<String> command = new java.util.ArrayList<>(List.of(qemu.imageTool().toString(), "convert", "-q",
                    "-O", outFormat.qemuName()));
            if (offset > 0) {
                command.add(range(source, sourceFormat, 0, offset));
            }
            command.add(range(replacement, DiskFormat.RAW, 0, length));
            if (offset + length < sourceBytes) {
                command.add(range(source, sourceFormat, offset + length, sourceBytes - offset - length));
            }
            command.add(out.toString());
            run(command, out, "write");
        } catch (IOException e) {
            throw new BuildException("could not run " + qemu.imageTool() + " to write " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the raw disk {@code raw} as {@code out} in {@code format}. qemu-img writes clusters in disk order (no
     * {@code -W}), so the same raw disk gives the same bytes with the same qemu-img; zeros stay unallocated.
     */
    public void convert(Path raw, Path out, DiskFormat format) {
        try {
            Files.deleteIfExists(out);
            run(List.of(qemu.imageTool().toString(), "convert", "-q", "-f", "raw", "-O", format.qemuName(),
                    raw.toString(), out.toString()), out, "write");
        } catch (IOException e) {
            throw new BuildException("could not run " + qemu.imageTool() + " to write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Runs qemu-img, which must leave the file {@code disk}; {@code verb} says what it was to do with it. */
    private static void run(List<String> command, Path disk, String verb) throws IOException {
        StringBuilder output = new StringBuilder();
        BoundedProcess.Outcome outcome = BoundedProcess.run(command, null, TIME_LIMIT,
                line -> output.append(line).append('\n'), null, null);
        if (outcome.timedOut() || outcome.exitStatus() != 0 || !Files.isRegularFile(disk)) {
            throw new BuildException("qemu-img could not " + verb + " the disk " + disk + " ("
                    + (outcome.timedOut() ? "no answer in " + TIME_LIMIT.toSeconds() + " s"
                    : "exit status " + outcome.exitStatus()) + "): " + output.toString().strip());
        }
    }

    /** A qemu block-device description of {@code length} bytes of a disk file from {@code offset} on. */
    static String range(Path file, DiskFormat format, long offset, long length) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("driver", "file");
        node.put("filename", file.toAbsolutePath().toString());
        if (format != DiskFormat.RAW) {
            node = new LinkedHashMap<>(Map.of("driver", format.qemuName(), "file", node));
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("driver", "raw");
        raw.put("offset", offset);
        raw.put("size", length);
        raw.put("file", node);
        return "json:" + Json.write(raw);
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
            run(command, file, "create");
        } catch (IOException e) {
            throw new BuildException("could not run " + qemu.imageTool() + " to create " + file + ": " + e.getMessage(), e);
        }
    }
}
