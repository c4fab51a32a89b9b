package dev.vmforge.launch;

import dev.vmforge.BuildLog;
import dev.vmforge.os.VmSpec;
import dev.vmforge.vm.LeashedProcess;
import dev.vmforge.vm.QmpClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A started VM of the declared system: its forwarded ports (each with the host port it got), its console log, and
 * the ways it ends: {@link #stop} (the ACPI power button, then QEMU ended after a grace period), {@link #kill}
 * (at once, after a failed start), or by itself ({@link #awaitExit}, the foreground {@code vm:run}).
 */
public final class RunningVm {
    /** How a stop went. */
    public enum Stopped {
        /** The guest powered off after the ACPI request. */
        POWERED_OFF,
        /** The guest did not power off within the grace period: QEMU was ended. */
        ENDED,
        /** QEMU had already exited. */
        ALREADY_EXITED
    }

    /** How long QEMU gets to exit on SIGTERM before SIGKILL. */
    private static final Duration END_PATIENCE = Duration.ofSeconds(5);

    private final String id;
    private final LeashedProcess process;
    private final QmpClient qmp;
    private final VmLauncher.VmFiles files;
    private final List<VmSpec.PortForward> ports;
    private final BootTimeline timeline;
    private final ConsoleLog console;
    private final BuildLog log;

    RunningVm(String id, LeashedProcess process, QmpClient qmp, VmLauncher.VmFiles files,
              List<VmSpec.PortForward> ports, BootTimeline timeline, BuildLog log) {
        this.id = id;
        this.process = process;
        this.qmp = qmp;
        this.files = files;
        this.ports = List.copyOf(ports);
        this.timeline = timeline;
        this.console = new ConsoleLog(files.console());
        this.log = log;
    }

    public String id() {
        return id;
    }

    /** The forwardings with the host port each got (never 0). */
    public List<VmSpec.PortForward> ports() {
        return ports;
    }

    /** The host port forwarded to {@code guestPort}. */
    public Optional<VmSpec.PortForward> port(int guestPort) {
        return ports.stream().filter(p -> p.guestPort() == guestPort).findFirst();
    }

    /** {@code target/vm/console-ID.log}, kept after the VM stopped. */
    public Path consoleLog() {
        return files.console();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Where the start's time went; complete once {@link Readiness} returned. */
    public BootTimeline timeline() {
        return timeline;
    }

    QmpClient qmp() {
        return qmp;
    }

    ConsoleLog console() {
        return console;
    }

    /** QEMU's exit status; only once it exited. */
    public int exitStatus() {
        return process.exitValue();
    }

    /**
     * Asks the guest to power off (the ACPI power button, as a shutdown of the host would), waits up to
     * {@code grace}, then ends QEMU. The console log stays.
     */
    public Stopped stop(Duration grace) {
        try {
            if (!process.isAlive()) {
                return Stopped.ALREADY_EXITED;
            }
            try {
                qmp.powerdown();
            } catch (IOException e) {
                log.debug("VM '" + id + "': the ACPI power-off request failed: " + e.getMessage());
            }
            try {
                if (process.waitFor(grace)) {
                    return Stopped.POWERED_OFF;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.end(END_PATIENCE);
            return Stopped.ENDED;
        } finally {
            release();
        }
    }

    /** Ends QEMU at once (a start that failed). */
    public void kill() {
        process.kill();
        release();
    }

    /** Waits until QEMU exits by itself (the user quit the foreground console); returns its exit status. */
    public int awaitExit() throws InterruptedException {
        process.process().waitFor();
        release();
        return process.exitValue();
    }

    private void release() {
        qmp.close();
        files.deleteRuntimeFiles();
    }

    @Override
    public String toString() {
        return "VM '" + id + "' (" + process + ")";
    }
}
