package dev.vmforge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** Boots, waits for the marker, powers the guest off. */
    public static Result boot(Path image, String format, String firmware, String marker, int timeoutSeconds,
                              Path logFile) throws IOException, InterruptedException {
        try (Guest guest = start(image, format, firmware, Map.of(), logFile)) {
            return guest.waitFor(marker, timeoutSeconds);
        }
    }

    /** Starts the guest with user networking and the given host→guest TCP forwards; close() stops it. */
    public static Guest start(Path image, String format, String firmware, Map<Integer, Integer> forwards, Path logFile)
            throws IOException {
        return start(disk(image, format, true), firmware, forwards, logFile);
    }

    /** Boots from the given media (QEMU options: {@link #disk}, {@link #cdrom}, {@link #usbStick}). */
    public static Result boot(List<String> media, String firmware, String marker, int timeoutSeconds, Path logFile)
            throws IOException, InterruptedException {
        try (Guest guest = start(media, firmware, Map.of(), logFile)) {
            return guest.waitFor(marker, timeoutSeconds);
        }
    }

    /** A virtio disk; without {@code snapshot} the guest's writes reach the file. */
    public static List<String> disk(Path image, String format, boolean snapshot) {
        return List.of("-drive", "file=" + image + ",if=virtio,format=" + format + (snapshot ? ",snapshot=on" : ""));
    }

    /** A CD/DVD drive (IDE on QEMU's pc machine), booted first. */
    public static List<String> cdrom(Path iso) {
        return List.of("-cdrom", iso.toString(), "-boot", "d");
    }

    /** A USB 3 stick, booted first; {@code snapshot=on}: the stick's file is never written. */
    public static List<String> usbStick(Path image) {
        return List.of("-device", "qemu-xhci", "-device", "usb-storage,drive=stick,bootindex=0",
                "-drive", "if=none,id=stick,format=raw,snapshot=on,file=" + image);
    }

    /** Starts the guest from the given media, with user networking and host→guest TCP forwards. */
    public static Guest start(List<String> media, String firmware, Map<Integer, Integer> forwards, Path logFile)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-cpu", "max",
                "-smp", "1", "-m", "768", "-nodefaults", "-no-reboot", "-display", "none",
                "-serial", "file:" + logFile));
        cmd.addAll(media);
        if (!forwards.isEmpty()) {
            StringBuilder netdev = new StringBuilder("user,id=net0");
            forwards.forEach((host, guest) -> netdev.append(",hostfwd=tcp:127.0.0.1:").append(host).append("-:").append(guest));
            cmd.addAll(List.of("-netdev", netdev.toString(), "-device", "virtio-net-pci,netdev=net0"));
        }
        if (firmware.equals("uefi")) {
            Path vars = Files.createTempFile("ovmf-vars", ".fd");
            Files.copy(ovmf("OVMF_VARS"), vars, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            cmd.addAll(List.of(
                    "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + ovmf("OVMF_CODE"),
                    "-drive", "if=pflash,format=raw,unit=1,file=" + vars));
        }
        Files.deleteIfExists(logFile);
        Process qemu = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logFile.resolveSibling(logFile.getFileName() + ".qemu").toFile()).start();
        return new Guest(qemu, logFile);
    }

    /** A running guest; closing it kills QEMU. */
    public static final class Guest implements AutoCloseable {
        private final Process qemu;
        private final Path logFile;
        private final long start = System.nanoTime();

        private Guest(Process qemu, Path logFile) {
            this.qemu = qemu;
            this.logFile = logFile;
        }

        public String console() throws IOException {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
        }

        public Result waitFor(String marker, int timeoutSeconds) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline && qemu.isAlive()) {
                if (console().contains(marker)) {
                    break;
                }
                Thread.sleep(200);
            }
            String console = console();
            return new Result(console.contains(marker), console, (System.nanoTime() - start) / 1e9);
        }

        @Override
        public void close() throws InterruptedException {
            qemu.destroyForcibly().waitFor();
        }
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
