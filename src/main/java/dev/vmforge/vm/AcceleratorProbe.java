package dev.vmforge.vm;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the configured {@link Accelerator} into one that works on this host. A hypervisor is used only after a
 * tiny guest ({@link ProbeFirmware}) ran under it to the end within a few seconds: a {@code /dev/kvm} that exists
 * but hangs guests (nested virtualization) must cost a few seconds once, not a hung build.
 *
 * <p>Probe results are kept for the JVM and, on Linux, in a small file in the cache directory keyed by the kernel's
 * boot id, so the next build on the same boot does not probe again.
 */
public final class AcceleratorProbe {
    static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(5);
    private static final Path DEV_KVM = Path.of("/dev/kvm");
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /** Results for this JVM, keyed by accelerator and QEMU binary. */
    private static final Map<String, ProbeResult> RESULTS = new ConcurrentHashMap<>();
    /** The fallback warning is given once per JVM, not once per module of a reactor build. */
    private static final Map<String, Boolean> WARNED = new ConcurrentHashMap<>();

    /** What one probe found; {@code detail} says why it failed. */
    record ProbeResult(boolean works, String detail) {
    }

    private final QemuInstallation qemu;
    private final BuildLog log;
    private final Path cacheDirectory;
    private final Duration timeLimit;
    private final HostOs os;
    private final String architecture;

    /** @param cacheDirectory the plugin's shared cache folder, or null to keep results for this JVM only */
    public AcceleratorProbe(QemuInstallation qemu, BuildLog log, Path cacheDirectory) {
        this(qemu, log, cacheDirectory, DEFAULT_TIME_LIMIT, HostOs.current(), System.getProperty("os.arch", ""));
    }

    AcceleratorProbe(QemuInstallation qemu, BuildLog log, Path cacheDirectory, Duration timeLimit, HostOs os,
                     String architecture) {
        this.qemu = qemu;
        this.log = log;
        this.cacheDirectory = cacheDirectory;
        this.timeLimit = timeLimit;
        this.os = os;
        this.architecture = architecture.toLowerCase(Locale.ROOT);
    }

    /** The accelerator to pass to QEMU: never {@link Accelerator#AUTO}. */
    public Accelerator resolve(Accelerator requested) {
        return switch (requested) {
            case TCG -> Accelerator.TCG;
            case AUTO -> resolveAutomatically();
            default -> requireWorking(requested);
        };
    }

    private Accelerator resolveAutomatically() {
        Accelerator candidate = hostHypervisor();
        if (candidate == Accelerator.TCG) {
            log.debug("no hardware accelerator for QEMU on this host (" + os + ", " + architecture + "); using TCG");
            return Accelerator.TCG;
        }
        if (candidate == Accelerator.KVM && !(Files.isReadable(DEV_KVM) && Files.isWritable(DEV_KVM))) {
            warnOnce("kvm-access", "/dev/kvm is present but this user cannot open it (add the user to the 'kvm' group);"
                    + " falling back to TCG (software emulation, slower)");
            return Accelerator.TCG;
        }
        ProbeResult result = probe(candidate);
        if (result.works()) {
            log.debug("accelerator " + candidate.qemuName() + " works; using it");
            return candidate;
        }
        warnOnce("probe-" + candidate, describe(candidate) + " is present but a test guest did not run under "
                + candidate.name() + " within " + timeLimit.toSeconds() + " s (" + result.detail()
                + "); falling back to TCG (software emulation, slower)");
        return Accelerator.TCG;
    }

    private Accelerator requireWorking(Accelerator requested) {
        ProbeResult result = probe(requested);
        if (!result.works()) {
            throw new BuildException("<vm><accelerator>" + requested.qemuName() + "</accelerator> was requested, but a"
                    + " test guest did not run under " + requested.name() + " within " + timeLimit.toSeconds() + " s ("
                    + result.detail() + "). Use <accelerator>auto</accelerator> to fall back to software emulation,"
                    + " or <accelerator>tcg</accelerator>.");
        }
        return requested;
    }

    /** The hypervisor this kind of host would offer, or TCG when there is none to try. */
    Accelerator hostHypervisor() {
        boolean x86Host = architecture.equals("amd64") || architecture.equals("x86_64");
        return switch (os) {
            case LINUX -> Files.exists(DEV_KVM) && x86Host ? Accelerator.KVM : Accelerator.TCG;
            case MAC -> x86Host ? Accelerator.HVF : Accelerator.TCG; // HVF cannot run x86 guests on Apple silicon
            case WINDOWS -> x86Host ? Accelerator.WHPX : Accelerator.TCG;
            default -> Accelerator.TCG;
        };
    }

    private static String describe(Accelerator accelerator) {
        return accelerator == Accelerator.KVM ? "/dev/kvm" : accelerator.name();
    }

    ProbeResult probe(Accelerator accelerator) {
        String key = accelerator.name() + "|" + qemu.systemEmulator().toAbsolutePath();
        return RESULTS.computeIfAbsent(key, k -> readCachedResult(accelerator).orElseGet(() -> {
            ProbeResult fresh = runProbe(accelerator);
            writeCachedResult(accelerator, fresh);
            return fresh;
        }));
    }

    /** Forgets the JVM-wide results (tests). */
    static void clearResultsForTests() {
        RESULTS.clear();
        WARNED.clear();
    }

    private ProbeResult runProbe(Accelerator accelerator) {
        Path firmware = null;
        try {
            firmware = Files.createTempFile("vm-accel-probe", ".rom");
            Files.write(firmware, ProbeFirmware.image());
            List<String> command = List.of(qemu.systemEmulator().toString(),
                    "-machine", "pc", "-accel", accelerator.qemuName(), "-cpu", accelerator.cpuModel(), "-m", "16",
                    "-nodefaults", "-no-reboot", "-display", "none", "-serial", "stdio",
                    "-bios", firmware.toString(), "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04");
            log.debug("probing accelerator: " + String.join(" ", command));
            StringBuilder output = new StringBuilder();
            BoundedProcess.Outcome outcome = BoundedProcess.run(command, null, timeLimit,
                    line -> output.append(line).append('\n'), null, null);
            log.debug("accelerator probe " + accelerator.qemuName() + ": " + outcome + ", output: " + output.toString().trim());
            if (outcome.timedOut()) {
                return new ProbeResult(false, "no exit after " + timeLimit.toSeconds() + " s, " + stageReached(output));
            }
            if (outcome.exitStatus() == ProbeFirmware.SUCCESS_EXIT_STATUS) {
                return new ProbeResult(true, "ran to the end in " + outcome.wallTime().toMillis() + " ms");
            }
            return new ProbeResult(false, "QEMU exited with status " + outcome.exitStatus() + ": "
                    + lastLine(output.toString()));
        } catch (IOException e) {
            return new ProbeResult(false, "could not run QEMU: " + e.getMessage());
        } finally {
            deleteQuietly(firmware);
        }
    }

    private static String stageReached(CharSequence output) {
        String text = output.toString();
        if (text.contains("RP")) {
            return "the guest hung entering long mode";
        }
        if (text.contains("R")) {
            return "the guest hung entering protected mode";
        }
        return "the guest printed nothing";
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1];
    }

    // --- the result file, valid until the host reboots -------------------------------------------------------

    private Path cacheFile(Accelerator accelerator) {
        return cacheDirectory == null ? null
                : cacheDirectory.resolve("accelerator-probe-" + accelerator.qemuName() + ".properties");
    }

    private static String bootId() {
        try {
            return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or hidden: probe every JVM
        }
    }

    private Optional<ProbeResult> readCachedResult(Accelerator accelerator) {
        Path file = cacheFile(accelerator);
        String bootId = bootId();
        if (file == null || bootId == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!bootId.equals(properties.getProperty("bootId"))
                || !qemu.systemEmulator().toAbsolutePath().toString().equals(properties.getProperty("qemu"))) {
            return Optional.empty();
        }
        boolean works = Boolean.parseBoolean(properties.getProperty("works"));
        String detail = properties.getProperty("detail", "") + ", probed earlier in this boot; delete " + file
                + " to probe again";
        log.debug("accelerator probe result for " + accelerator.qemuName() + " read from " + file);
        return Optional.of(new ProbeResult(works, detail));
    }

    private void writeCachedResult(Accelerator accelerator, ProbeResult result) {
        Path file = cacheFile(accelerator);
        String bootId = bootId();
        if (file == null || bootId == null) {
            return;
        }
        Properties properties = new Properties();
        properties.setProperty("bootId", bootId);
        properties.setProperty("qemu", qemu.systemEmulator().toAbsolutePath().toString());
        properties.setProperty("works", Boolean.toString(result.works()));
        properties.setProperty("detail", result.detail());
        try {
            Files.createDirectories(cacheDirectory);
            Path temporary = Files.createTempFile(cacheDirectory, file.getFileName().toString(), ".tmp");
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(out, "QEMU accelerator probe result for this boot of the host");
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.debug("could not record the accelerator probe result in " + file + ": " + e.getMessage());
        }
    }

    private void warnOnce(String key, String message) {
        if (WARNED.putIfAbsent(key, Boolean.TRUE) == null) {
            log.warn(message);
        } else {
            log.debug(message);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file of 64 KiB is harmless
            }
        }
    }
}
