package dev.vmforge.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process (QEMU) that cannot outlive this JVM, however the JVM ends: every QEMU the plugin starts, builder VMs
 * and the VMs of vm:start and vm:run, runs on this leash.
 *
 * <ul>
 *   <li>The process runs under a small watchdog shell ({@code leash.sh}) whose standard input is a pipe from this
 *       JVM, the leash. The kernel closes the pipe when the JVM exits, crashes or is killed with SIGKILL; the
 *       watchdog then reads end-of-file and ends the process (SIGTERM, then SIGKILL). Nothing depends on the
 *       thread that started it: a VM of vm:start outlives the mojo's thread, but not Maven.</li>
 *   <li>A shutdown hook ends every live process before the JVM exits (Ctrl-C, SIGTERM, {@code System.exit} after a
 *       failed build), so that when Maven has exited, its VMs are gone too.</li>
 * </ul>
 * Where there is no {@code /bin/sh} (Windows), the process runs directly and only the shutdown hook guards it.
 */
public final class LeashedProcess {
    private static final Path SHELL = Path.of("/bin/sh");
    private static final String SCRIPT = resource("leash.sh");
    /** How long the watchdog waits between SIGTERM and SIGKILL, and the shutdown hook waits for all processes. */
    static final Duration GRACE = Duration.ofSeconds(5);
    private static final Set<LeashedProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final Thread SHUTDOWN_HOOK = new Thread(LeashedProcess::endAll, "vm-maven-plugin: end VMs");

    static {
        Runtime.getRuntime().addShutdownHook(SHUTDOWN_HOOK);
    }

    /**
     * Where the process's output goes, and whether it reads the terminal.
     *
     * @param output        standard output
     * @param error         standard error, or null to merge it into the output
     * @param terminalInput read the controlling terminal ({@code /dev/tty}), for an attached console; else nothing
     */
    public record Streams(ProcessBuilder.Redirect output, ProcessBuilder.Redirect error, boolean terminalInput) {
        public Streams {
            Objects.requireNonNull(output, "output");
        }

        /** Output and errors merged into one pipe, read with {@link #output()}. */
        public static Streams pipe() {
            return new Streams(ProcessBuilder.Redirect.PIPE, null, false);
        }

        /** Output and errors written to a file, replacing it. */
        public static Streams file(Path file) {
            return new Streams(ProcessBuilder.Redirect.to(file.toFile()), null, false);
        }

        /** This JVM's own standard output and error, and the terminal as input when there is one. */
        public static Streams terminal(boolean readTerminal) {
            return new Streams(ProcessBuilder.Redirect.INHERIT, ProcessBuilder.Redirect.INHERIT, readTerminal);
        }
    }

    private final Process process;
    private final OutputStream leash;
    private final String name;

    private LeashedProcess(Process process, String name) {
        this.process = process;
        this.leash = process.getOutputStream();
        this.name = name;
    }

    /** Starts {@code command} on the leash. */
    public static LeashedProcess start(List<String> command, Path workingDirectory, Streams streams)
            throws IOException {
        boolean watched = Files.isExecutable(SHELL);
        List<String> arguments = new ArrayList<>();
        if (watched) {
            arguments.addAll(List.of(SHELL.toString(), "-c", SCRIPT, "leash"));
        }
        arguments.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(arguments).redirectOutput(streams.output());
        if (streams.error() == null) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(streams.error());
        }
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        if (watched) {
            builder.environment().put("LEASH_INPUT", streams.terminalInput() ? "/dev/tty" : "/dev/null");
            builder.environment().put("LEASH_GRACE", Long.toString(GRACE.toSeconds()));
        } else if (streams.terminalInput()) {
            builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
        }
        LeashedProcess started = new LeashedProcess(builder.start(), Path.of(command.get(0)).getFileName().toString());
        LIVE.add(started);
        started.process.onExit().thenRun(() -> {
            LIVE.remove(started);
            started.dropLeash();
        });
        return started;
    }

    /** The watchdog (or the command itself): its exit status is the command's. */
    public Process process() {
        return process;
    }

    /** Standard output (and errors, when merged) with {@link Streams#pipe()}. */
    public InputStream output() {
        return process.getInputStream();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** @return whether the process ended within {@code timeout} */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The command's exit status; only after it ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /**
     * Ends the process politely: drops the leash (the watchdog sends SIGTERM, QEMU exits at once), and kills it
     * if it still runs after {@code patience}. Returns once it is gone.
     */
    public void end(Duration patience) {
        dropLeash();
        try {
            if (!waitFor(patience)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process and its descendants now (SIGKILL: a QEMU stuck in the kernel must not hang the build). */
    public void kill() {
        // the tree first: once the leash drops, the command may die and its children move to another parent
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        dropLeash();
        try {
            process.waitFor(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dropLeash() {
        try {
            leash.close();
        } catch (IOException ignored) {
            // the pipe is closed either way: that is all the watchdog needs
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    /** The shutdown hook: drops every leash at once, then waits for all, then kills what is left. */
    static void endAll() {
        List<LeashedProcess> live = List.copyOf(LIVE);
        live.forEach(LeashedProcess::dropLeash);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (LeashedProcess p : live) {
            try {
                if (!p.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.kill();
                }
            } catch (InterruptedException e) {
                p.kill();
            }
        }
    }

    private static String resource(String name) {
        try (InputStream in = LeashedProcess.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the plugin lacks its resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
