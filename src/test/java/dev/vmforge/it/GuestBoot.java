package dev.vmforge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Boots a disk image under QEMU (TCG, so it works where KVM does not), reading the serial console
 * until a marker appears. Used by the integration tests' verify scripts; the image is opened with
 * {@code snapshot=on} so the image under test is never modified.
 */
public final class GuestBoot {
    private GuestBoot() {
    }

    /** What the guest printed, and whether the marker was seen before the time limit. */
    public record Result(boolean markerSeen, String console, double seconds) {
    }

    public static Result boot(Path image, String format, String firmware, String marker, int timeoutSeconds,
                              Path logFile) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-cpu", "max",
                "-smp", "1", "-m", "512", "-nodefaults", "-no-reboot", "-display", "none",
                "-serial", "file:" + logFile,
                "-drive", "file=" + image + ",if=virtio,format=" + format + ",snapshot=on"));
        if (firmware.equals("uefi")) {
            Path vars = Files.createTempFile("ovmf-vars", ".fd");
            Files.copy(ovmf("OVMF_VARS"), vars, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            cmd.addAll(List.of(
                    "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + ovmf("OVMF_CODE"),
                    "-drive", "if=pflash,format=raw,unit=1,file=" + vars));
        }
        Files.deleteIfExists(logFile);
        long start = System.nanoTime();
        Process qemu = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logFile.resolveSibling(logFile.getFileName() + ".qemu").toFile()).start();
        boolean seen = false;
        try {
            long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline && qemu.isAlive()) {
                if (Files.exists(logFile) && Files.readString(logFile, StandardCharsets.ISO_8859_1).contains(marker)) {
                    seen = true;
                    break;
                }
                Thread.sleep(200);
            }
        } finally {
            qemu.destroyForcibly().waitFor();
        }
        String console = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
        seen = seen || console.contains(marker);
        return new Result(seen, console, (System.nanoTime() - start) / 1e9);
    }

    private static Path ovmf(String name) {
        for (String candidate : List.of("/usr/share/OVMF/" + name + ".fd", "/usr/share/OVMF/" + name + "_4M.fd",
                "/usr/share/ovmf/" + name + ".fd")) {
            if (Files.isRegularFile(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        throw new IllegalStateException("OVMF firmware " + name + " not found: apt-get install ovmf");
    }
}
