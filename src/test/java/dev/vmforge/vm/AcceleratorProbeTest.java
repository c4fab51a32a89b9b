package dev.vmforge.vm;

import dev.vmforge.BuildException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The accelerator choice against a fake QEMU. The host is declared to be Windows on x86-64, so the candidate is
 * WHPX and no real /dev/kvm is involved; the fake QEMU plays a hypervisor that works (exits like the probe
 * firmware does) or one that hangs.
 */
@DisabledOnOs(OS.WINDOWS)
class AcceleratorProbeTest {
    private static final String WORKS = "printf RPL; exit " + ProbeFirmware.SUCCESS_EXIT_STATUS;
    private static final String HANGS = "printf R; exec sleep 30";

    @TempDir
    Path temp;
    RecordingLog log = new RecordingLog();

    @BeforeEach
    @AfterEach
    void forgetResults() {
        AcceleratorProbe.clearResultsForTests();
    }

    private AcceleratorProbe probe(QemuInstallation qemu, Path cache) {
        return new AcceleratorProbe(qemu, log, cache, Duration.ofSeconds(1), HostOs.WINDOWS, "amd64");
    }

    @Test
    void autoUsesTheHypervisorWhenTheTestGuestRuns() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), WORKS);
        assertEquals(Accelerator.WHPX, probe(qemu, null).resolve(Accelerator.AUTO));
        assertTrue(log.warnings.isEmpty(), log.warnings.toString());
        String args = Files.readString(temp.resolve("qemu").resolve(FakeQemu.ARGS_FILE));
        assertTrue(args.contains("-accel\nwhpx\n") && args.contains("isa-debug-exit,iobase=0xf4,iosize=0x04"), args);
    }

    @Test
    void autoFallsBackToTcgWithOneWarningWhenTheTestGuestHangs() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), HANGS);
        long start = System.nanoTime();
        assertEquals(Accelerator.TCG, probe(qemu, null).resolve(Accelerator.AUTO));
        assertEquals(Accelerator.TCG, probe(qemu, null).resolve(Accelerator.AUTO)); // cached for the JVM
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "bounded, and probed once: " + took);
        assertEquals(1, log.warnings.size(), log.warnings.toString());
        String warning = log.warnings.get(0);
        assertTrue(warning.contains("did not run under WHPX within 1 s"), warning);
        assertTrue(warning.contains("hung entering protected mode"), warning);
        assertTrue(warning.endsWith("falling back to TCG (software emulation, slower)"), warning);
    }

    @Test
    void explicitHypervisorThatFailsIsAClearError() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), "echo 'WHPX: No accelerator found' >&2; exit 1");
        BuildException failure = assertThrows(BuildException.class, () -> probe(qemu, null).resolve(Accelerator.WHPX));
        String message = failure.getMessage();
        assertTrue(message.contains("<vm><accelerator>whpx</accelerator> was requested"), message);
        assertTrue(message.contains("WHPX: No accelerator found"), message);
        assertTrue(message.contains("<accelerator>auto</accelerator>"), message);
    }

    @Test
    void tcgNeedsNoProbe() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), WORKS);
        assertEquals(Accelerator.TCG, probe(qemu, null).resolve(Accelerator.TCG));
        assertFalse(Files.exists(temp.resolve("qemu").resolve(FakeQemu.ARGS_FILE)), "QEMU was not started");
    }

    @Test
    void resultIsKeptInTheCacheForThisBoot() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/sys/kernel/random/boot_id")), "needs a Linux boot id");
        Path cache = temp.resolve("cache");
        QemuInstallation hanging = FakeQemu.install(temp.resolve("qemu"), HANGS);
        assertEquals(Accelerator.TCG, probe(hanging, cache).resolve(Accelerator.AUTO));
        assertTrue(Files.isRegularFile(cache.resolve("accelerator-probe-whpx.properties")));

        AcceleratorProbe.clearResultsForTests(); // a new JVM, same boot
        Files.delete(temp.resolve("qemu").resolve(FakeQemu.ARGS_FILE));
        assertEquals(Accelerator.TCG, probe(hanging, cache).resolve(Accelerator.AUTO));
        assertFalse(Files.exists(temp.resolve("qemu").resolve(FakeQemu.ARGS_FILE)), "not probed again");
    }

    @Test
    void hostsWithoutAnX86HypervisorUseTcg() {
        QemuInstallation qemu = new QemuInstallation(Path.of("q"), Path.of("i"));
        assertEquals(Accelerator.TCG,
                new AcceleratorProbe(qemu, log, null, Duration.ofSeconds(1), HostOs.MAC, "aarch64").hostHypervisor());
        assertEquals(Accelerator.HVF,
                new AcceleratorProbe(qemu, log, null, Duration.ofSeconds(1), HostOs.MAC, "x86_64").hostHypervisor());
        assertEquals(Accelerator.TCG,
                new AcceleratorProbe(qemu, log, null, Duration.ofSeconds(1), HostOs.OTHER, "amd64").hostHypervisor());
    }

    @Test
    void acceleratorValuesParse() {
        assertEquals(Accelerator.AUTO, Accelerator.parse(null));
        assertEquals(Accelerator.KVM, Accelerator.parse(" KVM "));
        BuildException failure = assertThrows(BuildException.class, () -> Accelerator.parse("xen"));
        assertTrue(failure.getMessage().contains("<vm/accelerator>") && failure.getMessage().contains("tcg"),
                failure.getMessage());
    }
}
