package dev.vmforge.vm;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No QEMU outlives the JVM that started it: a JVM holding a builder VM (through {@link BuilderVm}, with a fake QEMU)
 * or a real QEMU on a leash is sent SIGTERM (CI cancelling a job), SIGINT (Ctrl-C) or SIGKILL, and its QEMU must be
 * gone within seconds. SIGKILL runs no shutdown hook: there the watchdog alone ends QEMU.
 */
@EnabledIfSystemProperty(named = "vm.test.qemu", matches = "true")
class LeashQemuTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} VM, kill -{1}")
    @CsvSource({"builder, TERM", "builder, INT", "builder, KILL", "qemu, TERM", "qemu, INT", "qemu, KILL"})
    void qemuEndsWithTheJvm(String mode, String signal) throws Exception {
        Path javaBinary = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Process holder = new ProcessBuilder(javaBinary.toString(), "-cp", System.getProperty("java.class.path"),
                LeashHolder.class.getName(), mode, temp.toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve("holder.log").toFile()).start();
        long qemu = -1;
        try {
            qemu = awaitPid(temp.resolve("qemu.pid"), holder);
            assertTrue(alive(qemu), "QEMU (pid " + qemu + ") runs before the kill");
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(holder.pid())).start();
            assertTrue(kill.waitFor() == 0, "kill -" + signal + " " + holder.pid());
            assertTrue(holder.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    "the JVM ended on SIGTERM/SIGINT/SIGKILL; its output:\n" + output());
            assertFalse(stillAliveAfter(qemu, PATIENCE), "QEMU (pid " + qemu + ") outlived the JVM killed with SIG"
                    + signal);
        } finally {
            holder.destroyForcibly();
            ProcessHandle.of(qemu).ifPresent(ProcessHandle::destroyForcibly); // no QEMU left, even when failing
        }
    }

    private long awaitPid(Path file, Process holder) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Long> pid = readPid(file);
            if (pid.isPresent()) {
                return pid.get();
            }
            assertTrue(holder.isAlive(), "the holder JVM ended early:\n" + output());
            Thread.sleep(50);
        }
        throw new AssertionError("no QEMU pid in " + file + " within 60 s:\n" + output());
    }

    private static Optional<Long> readPid(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private String output() throws IOException {
        StringBuilder out = new StringBuilder();
        for (Path log : List.of(temp.resolve("holder.log"), temp.resolve("qemu.log"))) {
            if (Files.exists(log)) {
                out.append(Files.readString(log));
            }
        }
        return out.toString();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** A killed process may linger a moment as a zombie until its parent (the watchdog, or init) reaps it. */
    private static boolean stillAliveAfter(long pid, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (alive(pid)) {
            if (System.nanoTime() > deadline) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
