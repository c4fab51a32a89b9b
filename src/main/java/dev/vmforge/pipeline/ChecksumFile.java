package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.Sha256;
import dev.vmforge.fs.HostFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code FILE.sha256} beside a published file, in {@code sha256sum}'s format ({@code HEX  NAME}), so
 * {@code sha256sum -c target/FINALNAME.qcow2.sha256} checks it. The file is hashed only when it changed since the
 * last time: a stamp in the work directory remembers the size and modification time it was hashed at.
 */
final class ChecksumFile {
    private ChecksumFile() {
    }

    /** Writes (or keeps) {@code file}'s checksum file; returns the SHA-256 in hex. */
    static String write(Path file, Path stampDirectory) {
        Path checksum = file.resolveSibling(file.getFileName() + ".sha256");
        Path stamp = stampDirectory.resolve(file.getFileName() + ".sha256.stamp");
        try {
            List<String> state = List.of(Long.toString(Files.size(file)),
                    Long.toString(Files.getLastModifiedTime(file).toMillis()));
            String line;
            if (Files.isRegularFile(stamp) && Files.isRegularFile(checksum)
                    && Files.readAllLines(stamp, StandardCharsets.UTF_8).equals(state)
                    && (line = Files.readString(checksum, StandardCharsets.UTF_8)).matches("[0-9a-f]{64}  \\S.*\n")) {
                return line.substring(0, 64);
            }
            String hex = Sha256.ofFile(file);
            Files.createDirectories(stampDirectory);
            Files.deleteIfExists(stamp);
            HostFiles.writeAtomically(checksum, (hex + "  " + file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
            HostFiles.writeAtomically(stamp, (String.join("\n", state) + "\n").getBytes(StandardCharsets.UTF_8));
            return hex;
        } catch (IOException e) {
            throw new BuildException("cannot write " + checksum + ": " + e.getMessage(), e);
        }
    }
}
