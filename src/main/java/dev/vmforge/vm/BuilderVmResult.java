package dev.vmforge.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A builder VM run that finished with exit status 0.
 *
 * @param wallTime      from starting QEMU to its exit
 * @param phases        the {@code BUILD-STEP} markers the guest printed, in order
 * @param xchgDirectory the exchange folder, holding {@code build.log} and whatever the script left there;
 *                      the caller takes its outputs and may delete it
 * @param outputDisk    the disk the step wrote, or null
 */
public record BuilderVmResult(String stepName, Duration wallTime, List<PhaseMarker> phases, Path xchgDirectory,
                              Path logFile, Path outputDisk) {
    /**
     * One {@code BUILD-STEP NAME UPTIME} line: the guest's uptime (seconds since the kernel started) and the
     * time since QEMU started when the host read the line. The first marker's {@code hostElapsed - guestUptime}
     * is what firmware and kernel loading cost.
     */
    public record PhaseMarker(String name, double guestUptimeSeconds, Duration hostElapsed) {
    }

    public BuilderVmResult {
        phases = List.copyOf(phases);
    }
}
