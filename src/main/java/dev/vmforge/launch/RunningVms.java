package dev.vmforge.launch;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.os.StartSpec;
import dev.vmforge.os.VmSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The VMs vm:start started in this JVM, by project ({@code target/vm}) and id, so that vm:stop finds them. Each
 * records the build that started it: a second start of the same id in one build is a mistake, while one left by an
 * earlier build in a long-lived JVM (a build daemon) is stopped first.
 */
public final class RunningVms {
    private record Entry(RunningVm vm, String build) {
    }

    private static final Map<String, Entry> VMS = new ConcurrentHashMap<>();

    private RunningVms() {
    }

    private static String key(Path workDirectory, String id) {
        return workDirectory.toAbsolutePath().normalize() + "#" + id;
    }

    /**
     * Before starting {@code id}: fails when this build already runs it, ends one an earlier build left.
     *
     * @param build identifies the running build (Maven session)
     */
    public static void claim(Path workDirectory, String id, String build, BuildLog log) {
        Entry earlier = VMS.get(key(workDirectory, id));
        if (earlier == null) {
            return;
        }
        if (earlier.build().equals(build) && earlier.vm().isRunning()) {
            throw new BuildException("VM '" + id + "' is already running, started earlier in this build: give each"
                    + " vm:start execution its own <start><id>, or stop it first with vm:stop");
        }
        if (earlier.vm().isRunning()) {
            log.warn("VM '" + id + "' of an earlier build still runs in this JVM: stopping it");
            earlier.vm().kill();
        }
        VMS.remove(key(workDirectory, id));
    }

    /**
     * Starts a VM and waits until it is ready; logs its ports and where its start-up time went.
     *
     * @throws BuildException when it cannot start or is not ready in time (it is ended then)
     */
    public static RunningVm start(VmLauncher launcher, VmLauncher.Launch launch, StartSpec start, String build,
                                  BuildLog log) {
        RunningVm vm = launcher.start(launch);
        VMS.put(key(launch.workDirectory(), launch.id()), new Entry(vm, build));
        log.info("VM '" + vm.id() + "': started" + describePorts(vm.ports()) + "; console: " + vm.consoleLog());
        if (start.waitFor().isEmpty()) {
            log.info("VM '" + vm.id() + "': no <start><waitFor>, so not waiting until its services are ready");
        }
        try {
            BootTimeline timeline = new Readiness(log).await(vm, start.waitFor(), start.timeout());
            log.info("VM '" + vm.id() + "': ready in " + BootTimeline.seconds(timeline.total()) + " ("
                    + timeline.describe() + ")");
            return vm;
        } catch (RuntimeException e) {
            VMS.remove(key(launch.workDirectory(), launch.id()));
            throw e;
        }
    }

    /** Stops the project's VM {@code id}, or all its VMs when empty; returns how many were running. */
    public static int stop(Path workDirectory, Optional<String> id, Duration grace, BuildLog log) {
        List<Map.Entry<String, Entry>> chosen = new ArrayList<>();
        String prefix = key(workDirectory, "");
        for (Map.Entry<String, Entry> entry : VMS.entrySet()) {
            if (id.map(i -> entry.getKey().equals(key(workDirectory, i))).orElse(entry.getKey().startsWith(prefix))) {
                chosen.add(entry);
            }
        }
        if (chosen.isEmpty()) {
            log.info(id.map(i -> "No VM '" + i + "'").orElse("No VM") + " of this project is running (vm:start did"
                    + " not run in this build, or failed): nothing to stop");
            return 0;
        }
        for (Map.Entry<String, Entry> entry : chosen) {
            RunningVm vm = entry.getValue().vm();
            long begin = System.nanoTime();
            RunningVm.Stopped how = vm.stop(grace);
            VMS.remove(entry.getKey());
            String took = BootTimeline.seconds(Duration.ofNanos(System.nanoTime() - begin));
            switch (how) {
                case POWERED_OFF -> log.info("VM '" + vm.id() + "': powered off in " + took + "; console log: "
                        + vm.consoleLog());
                case ENDED -> log.warn("VM '" + vm.id() + "': did not power off within " + grace.toSeconds()
                        + " s of the ACPI request (<start><stopTimeout>), so QEMU was ended; console log: "
                        + vm.consoleLog());
                case ALREADY_EXITED -> log.warn("VM '" + vm.id() + "': had already exited (QEMU status "
                        + vm.exitStatus() + ") before vm:stop; console log: " + vm.consoleLog());
            }
        }
        return chosen.size();
    }

    /** E.g. {@code , forwarding 127.0.0.1:41234 -> guest port 8080}. */
    public static String describePorts(List<VmSpec.PortForward> ports) {
        if (ports.isEmpty()) {
            return "";
        }
        return ", forwarding " + ports.stream()
                .map(p -> p.address() + ":" + p.hostPort() + " -> guest port " + p.guestPort())
                .collect(Collectors.joining(", "));
    }
}
