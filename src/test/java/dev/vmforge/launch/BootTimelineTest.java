package dev.vmforge.launch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BootTimelineTest {
    private static final long S = 1_000_000_000L;

    private static ConsoleLog.Line line(String text, double seenSeconds) {
        return new ConsoleLog.Line(text, (long) (seenSeconds * S));
    }

    private static List<String> names(BootTimeline timeline) {
        return timeline.phases().stream().map(BootTimeline.Phase::name).toList();
    }

    @Test
    void phasesFromQemuToTheService() {
        BootTimeline timeline = new BootTimeline(0);
        timeline.qemuReady(S / 2);
        timeline.observe(line("\u001b[2J[    0.000000] Linux version 6.1.0", 2.3)); // seen late: not the best estimate
        timeline.observe(line("[    0.100000] Command line: root=UUID=x", 2.1));
        timeline.observe(line("[    1.500000] Run /init as init process", 3.9));
        timeline.observe(line("vmforge: system ready", 5.0));
        timeline.ready(7 * S);
        assertEquals(List.of("QEMU", "firmware", "kernel", "init", "service"), names(timeline));
        List<Duration> durations = timeline.phases().stream().map(BootTimeline.Phase::duration).toList();
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofMillis(1500),
                Duration.ofMillis(1500), Duration.ofMillis(2000)), durations);
        assertEquals(Duration.ofSeconds(7), timeline.total());
        assertEquals("QEMU 0.5 s, firmware 1.5 s, kernel 1.5 s, init 1.5 s, service 2.0 s", timeline.describe());
    }

    @Test
    void marksTheSystemDoesNotPrintMergeIntoTheNextPhase() {
        BootTimeline timeline = new BootTimeline(0);
        timeline.qemuReady(S);
        timeline.observe(line("[    0.000000] Linux version 6.1.0", 3));
        timeline.ready(10 * S); // a systemd system: no "Run /init" with an initrd-less boot, no rcS line
        assertEquals(List.of("QEMU", "firmware", "kernel + init + service"), names(timeline));
        assertEquals("kernel booting", timeline.stage());
    }
}
