package dev.vmforge.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a VM's start-up time goes, read from its console as it boots: QEMU's own start (until its QMP socket
 * answers), the firmware and bootloader (until the kernel starts: a kernel line's arrival less its printk time
 * stamp), the kernel (until it runs the initrd's {@code /init}), the system's init (until busybox init's rcS prints
 * {@value #SYSTEM_READY}), and the service (until the readiness conditions hold). Marks a system does not print
 * (systemd has no rcS) merge their phase into the next.
 */
public final class BootTimeline {
    static final String SYSTEM_READY = "vmforge: system ready";
    private static final Pattern PRINTK = Pattern.compile("\\[\\s*(\\d+)\\.(\\d{6})\\]");
    private static final String RUN_INIT = "Run /init as init process";

    /** One phase of the start and how long it took. */
    public record Phase(String name, Duration duration) {
    }

    private final long launched;
    private long qemuReady = -1;
    private long kernelStart = Long.MAX_VALUE;
    private long initStart = -1;
    private long systemReady = -1;
    private long ready = -1;

    BootTimeline(long launchedNanos) {
        this.launched = launchedNanos;
    }

    void qemuReady(long nanos) {
        qemuReady = nanos;
    }

    /** Reads the marks a console line carries. */
    void observe(ConsoleLog.Line line) {
        Matcher stamp = PRINTK.matcher(line.text());
        if (stamp.find() && stamp.start() <= 16) {
            long sinceKernelStart = Long.parseLong(stamp.group(1)) * 1_000_000_000L
                    + Long.parseLong(stamp.group(2)) * 1_000L;
            // each line arrives after it was printed: the earliest estimate is the closest
            kernelStart = Math.min(kernelStart, line.seenNanos() - sinceKernelStart);
            if (initStart < 0 && line.text().contains(RUN_INIT)) {
                initStart = kernelStart + sinceKernelStart;
            }
        }
        if (systemReady < 0 && line.text().contains(SYSTEM_READY)) {
            systemReady = line.seenNanos();
        }
    }

    void ready(long nanos) {
        ready = nanos;
    }

    /** From launch to ready (or to now, when not ready yet). */
    public Duration total() {
        return Duration.ofNanos((ready >= 0 ? ready : System.nanoTime()) - launched);
    }

    /** The phases seen, in order; their durations add up to {@link #total()}. */
    public List<Phase> phases() {
        List<Phase> phases = new ArrayList<>();
        long end = ready >= 0 ? ready : System.nanoTime();
        long[] marks = {qemuReady, kernelStart == Long.MAX_VALUE ? -1 : kernelStart, initStart, systemReady, end};
        String[] names = {"QEMU", "firmware", "kernel", "init", "service"};
        long previous = launched;
        String pending = null;
        for (int i = 0; i < marks.length; i++) {
            String name = pending == null ? names[i] : pending + " + " + names[i];
            long mark = Math.min(marks[i], end);
            if (marks[i] < 0 || mark < previous) {
                pending = name; // not seen (or out of order): merged into the next phase
                continue;
            }
            phases.add(new Phase(name, Duration.ofNanos(mark - previous)));
            previous = mark;
            pending = null;
        }
        return phases;
    }

    /** The kernel's start, if a time-stamped kernel line was seen. */
    OptionalLong kernelStartNanos() {
        return kernelStart == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(kernelStart);
    }

    /** "what is going on" for progress lines. */
    String stage() {
        if (systemReady >= 0) {
            return "system up";
        }
        if (initStart >= 0) {
            return "init running";
        }
        if (kernelStart != Long.MAX_VALUE) {
            return "kernel booting";
        }
        return qemuReady >= 0 ? "firmware" : "QEMU starting";
    }

    /** E.g. {@code QEMU 0.2 s, firmware 1.1 s, kernel 2.0 s, init 1.5 s, service 7.5 s}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Phase phase : phases()) {
            parts.add(phase.name() + " " + seconds(phase.duration()));
        }
        return String.join(", ", parts);
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
