package dev.vmforge.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * Runs one external process (QEMU) with a time limit, handing each line of its combined stdout/stderr to a
 * consumer. On timeout it kills the process and its descendants, and never waits unboundedly: a QEMU stuck in
 * the kernel on a broken hypervisor must not hang the build. The process is on a {@link LeashedProcess leash}:
 * it ends with this JVM, whether Maven is stopped by Ctrl-C, SIGTERM or SIGKILL.
 */
final class BoundedProcess {
    /**
     * How the run ended.
     *
     * @param timedOut stopped at the time limit
     * @param stopped  stopped because the tick said so (e.g. a guest silent for too long)
     */
    record Outcome(boolean timedOut, boolean stopped, int exitStatus, Duration wallTime) {
    }

    private static final Duration READER_GRACE = Duration.ofSeconds(3);

    private BoundedProcess() {
    }

    /**
     * @param tick called about every {@code tickInterval} while the process runs, with the elapsed milliseconds
     *             (progress lines); returns false to stop the process; may be null
     */
    static Outcome run(List<String> command, Path workingDirectory, Duration timeLimit, Consumer<String> lines,
                       Duration tickInterval, LongPredicate tick) throws IOException {
        long start = System.nanoTime();
        // QEMU's standard input is /dev/null: its serial on stdio must see EOF, not a terminal
        LeashedProcess leashed = LeashedProcess.start(command, workingDirectory, LeashedProcess.Streams.pipe());
        Process process = leashed.process();
        Thread reader = new Thread(() -> pump(process, lines), "qemu-output");
        reader.setDaemon(true);
        reader.start();

        // Elapsed times are compared as differences of nanoTime values, which never overflow in practice.
        long limitNanos = timeLimit.toNanos();
        long tickNanos = tick == null || tickInterval == null ? Long.MAX_VALUE : tickInterval.toNanos();
        long nextTickElapsed = tickNanos;
        boolean finished = false;
        boolean stopped = false;
        try {
            while (!finished && !stopped) {
                long elapsed = System.nanoTime() - start;
                if (elapsed >= limitNanos) {
                    break;
                }
                long wait = Math.min(limitNanos, nextTickElapsed) - elapsed;
                finished = process.waitFor(Math.max(1_000_000L, wait), TimeUnit.NANOSECONDS);
                elapsed = System.nanoTime() - start;
                if (!finished && elapsed >= nextTickElapsed && elapsed < limitNanos) {
                    stopped = !tick.test(Duration.ofNanos(elapsed).toMillis());
                    nextTickElapsed += tickNanos;
                }
            }
        } catch (InterruptedException e) {
            leashed.kill();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
        if (!finished) {
            leashed.kill();
        }
        joinQuietly(reader);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        int status = process.isAlive() ? -1 : process.exitValue();
        return new Outcome(!finished && !stopped, stopped, status, wall);
    }

    private static void pump(Process process, Consumer<String> lines) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.accept(stripCarriageReturn(line));
            }
        } catch (IOException e) {
            // The stream closes when the process is killed; what was read is kept.
        }
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static void joinQuietly(Thread reader) {
        try {
            reader.join(READER_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
