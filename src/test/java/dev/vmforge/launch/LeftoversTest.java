package dev.vmforge.launch;

import dev.vmforge.BuildLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The next start of a VM ends the QEMU its pid file names, and only when that process is that VM's. */
@DisabledOnOs(OS.WINDOWS)
class LeftoversTest {
    @TempDir
    Path work;
    private final List<String> warnings = new ArrayList<>();
    private final BuildLog log = new BuildLog() {
        @Override public void info(String message) { }
        @Override public void warn(String message) { warnings.add(message); }
        @Override public void debug(String message) { }
        @Override public boolean isDebugEnabled() { return false; }
    };

    /** A process whose command line names {@code argument}, as QEMU's names its {@code -pidfile}. */
    private static Process process(String argument) throws Exception {
        return new ProcessBuilder("sh", "-c", "while :; do sleep 1; done", argument).start();
    }

    @Test
    void aProcessNamingThePidFileIsEnded() throws Exception {
        VmLauncher.VmFiles files = VmLauncher.VmFiles.of(work, "web");
        Process leftover = process(files.pidFile().toString());
        try {
            Files.writeString(files.pidFile(), leftover.pid() + "\n");
            Leftovers.end(files, log);
            assertTrue(leftover.waitFor(5, TimeUnit.SECONDS), "the leftover still runs");
            assertFalse(Files.exists(files.pidFile()));
            assertTrue(warnings.get(0).contains("(pid " + leftover.pid() + ") is ended now"), warnings.toString());
        } finally {
            leftover.destroyForcibly();
        }
    }

    @Test
    void anUnrelatedProcessWithThatPidIsLeftAlone() throws Exception {
        VmLauncher.VmFiles files = VmLauncher.VmFiles.of(work, "web");
        Process unrelated = process("/somewhere/else.pid");
        try {
            Files.writeString(files.pidFile(), unrelated.pid() + "\n");
            Leftovers.end(files, log);
            assertTrue(unrelated.isAlive(), "a process that is not the VM's was ended");
            assertFalse(Files.exists(files.pidFile()), "the stale pid file stays");
            assertTrue(warnings.isEmpty(), warnings.toString());
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void aStalePidFileIsRemoved() throws Exception {
        VmLauncher.VmFiles files = VmLauncher.VmFiles.of(work, "web");
        Files.writeString(files.pidFile(), "not a pid");
        Leftovers.end(files, log);
        assertFalse(Files.exists(files.pidFile()));
    }
}
