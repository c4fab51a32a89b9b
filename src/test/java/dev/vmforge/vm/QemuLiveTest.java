package dev.vmforge.vm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the host's real QEMU: run with {@code -Dvm.test.qemu=true}. Each test starts QEMU for well under a second. */
@EnabledIfSystemProperty(named = "vm.test.qemu", matches = "true")
class QemuLiveTest {
    RecordingLog log = new RecordingLog();

    @AfterEach
    void forgetResults() {
        AcceleratorProbe.clearResultsForTests();
    }

    @Test
    void probeFirmwareRunsToTheEndUnderTcg() {
        QemuInstallation qemu = QemuInstallation.locate(null);
        AcceleratorProbe.ProbeResult result = new AcceleratorProbe(qemu, log, null).probe(Accelerator.TCG);
        assertTrue(result.works(), result.detail());
    }

    @Test
    void autoDecidesWithinTheBoundAndWarnsOnFallback() {
        QemuInstallation qemu = QemuInstallation.locate(null);
        long start = System.nanoTime();
        Accelerator chosen = new AcceleratorProbe(qemu, log, null).resolve(Accelerator.AUTO);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(AcceleratorProbe.DEFAULT_TIME_LIMIT.plusSeconds(5)) < 0, "bounded: " + took);
        boolean kvmPresent = Files.exists(Path.of("/dev/kvm"));
        if (chosen == Accelerator.TCG && kvmPresent) {
            // On this project's dev machines /dev/kvm exists but hangs guests: this is the expected path there.
            assertEquals(1, log.warnings.size(), log.warnings.toString());
            assertTrue(log.warnings.get(0).startsWith("/dev/kvm is present"), log.warnings.get(0));
        } else if (chosen == Accelerator.KVM) {
            assertTrue(log.warnings.isEmpty(), log.warnings.toString());
        }
        System.out.println("accelerator: " + chosen + " decided in " + took.toMillis() + " ms");
    }
}
