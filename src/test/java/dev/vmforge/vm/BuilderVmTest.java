package dev.vmforge.vm;

import dev.vmforge.BuildException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder VM's host side against a fake QEMU playing the guest: exchange protocol, failures, time limit. */
@DisabledOnOs(OS.WINDOWS) // the fake QEMU is a sh script
class BuilderVmTest {
    @TempDir
    Path temp;
    Path kernel;
    Path initrd;
    RecordingLog log = new RecordingLog();

    @BeforeEach
    void inputs() throws IOException {
        kernel = Files.writeString(temp.resolve("vmlinuz"), "kernel");
        initrd = Files.writeString(temp.resolve("initrd.img"), "BUILDER-INITRD-BYTES");
    }

    private BuilderVmRequest.Builder request(String step, String script) {
        return BuilderVmRequest.builder(step, kernel, initrd, script)
                .workDirectory(temp.resolve("work"))
                .logFile(temp.resolve("logs").resolve(step + ".log"))
                .timeLimit(Duration.ofSeconds(20));
    }

    @Test
    void successfulStepReturnsPhasesAndExchangeFolder() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), String.join("\n",
                "echo 'BUILD-STEP init 1.25'",
                "cat \"$XCHG/build.sh\"",
                "cat \"$XCHG/config/input.txt\"", // no newline: the next marker shares its line
                "echo 'BUILD-STEP partition 2.50'",
                "echo; tail -c 20 \"$initrd\"; echo", // the builder initramfs follows the exchange archive
                "echo made > \"$XCHG/out.txt\"",
                "mkdir \"$XCHG/results\" && echo deep > \"$XCHG/results/deep.txt\"",
                "rm \"$XCHG/config/input.txt\"",
                "echo 0 > \"$GUEST/.exit-status\""));
        Path input = Files.writeString(temp.resolve("input.txt"), "small input");

        BuilderVmResult result = new BuilderVm(qemu, Accelerator.TCG, log).run(request("partition", "echo SCRIPT-TEXT\n")
                .xchgFile("config/input.txt", input)
                .outputDisk(temp.resolve("out.qcow2"), DiskFormat.QCOW2, 64L << 20)
                .inputDisk(temp.resolve("rootfs.tar"))
                .build());

        assertEquals(List.of("init", "partition"), result.phases().stream().map(BuilderVmResult.PhaseMarker::name).toList());
        assertEquals(2.5, result.phases().get(1).guestUptimeSeconds());
        Path xchg = result.xchgDirectory();
        assertEquals("made", Files.readString(xchg.resolve("out.txt")).strip());
        assertEquals("deep", Files.readString(xchg.resolve("results/deep.txt")).strip());
        assertFalse(Files.exists(xchg.resolve("config/input.txt")), "the folder is what the guest left");
        assertEquals("echo SCRIPT-TEXT", Files.readString(xchg.resolve("build.sh")).strip());
        String log = Files.readString(result.logFile());
        assertTrue(log.contains("echo SCRIPT-TEXT"), "the script reached the guest as build.sh: " + log);
        assertTrue(log.contains("small input"), log);
        assertTrue(log.contains("\nBUILDER-INITRD-BYTES\n"), log);
        assertFalse(Files.exists(temp.resolve("work").resolve("partition.initrd")), "per-run initrd removed");
        assertFalse(Files.exists(temp.resolve("work").resolve("partition.xchg-out.raw")), "exchange disk removed");
        assertEquals(64L << 20, Files.size(temp.resolve("out.qcow2")), "output disk created with its size");
        assertEquals("create -q -f qcow2 " + temp.resolve("out.qcow2") + " " + (64L << 20),
                Files.readString(temp.resolve("qemu").resolve("qemu-img-args.txt")).strip());

        List<String> args = Files.readAllLines(temp.resolve("qemu").resolve(FakeQemu.ARGS_FILE));
        String append = args.get(args.indexOf("-append") + 1);
        assertTrue(append.startsWith("console=ttyS0 quiet panic=-1 norandmaps builder.script=/xchg/build.sh"),
                "no address randomization, so TCG reuses translations across processes: " + append);
        assertTrue(append.contains(" builder.xchg-out=/dev/vdc"), "the third disk is the exchange disk: " + append);
        List<String> drives = args.stream().filter(a -> a.startsWith("file=")).toList();
        assertEquals(3, drives.size(), drives.toString());
        assertTrue(drives.get(0).contains("out.qcow2") && drives.get(0).contains("cache=unsafe"), "output is vda");
        assertTrue(drives.get(1).contains("rootfs.tar") && drives.get(1).contains("readonly=on"), "inputs follow");
        assertTrue(drives.get(2).contains("partition.xchg-out.raw") && drives.get(2).contains("format=raw"),
                "the exchange disk is last");
        assertFalse(args.contains("-virtfs"), "no shared folder");
        assertEquals("max,erms=off,fsrm=off", args.get(args.indexOf("-cpu") + 1), "fast string copies under TCG");
    }

    @Test
    void diagnosticKernelArgumentsComeLast() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), "echo 0 > \"$GUEST/.exit-status\"");
        List<String> diagnostics = BuilderVm.parseKernelArguments(" sysctl.kernel.randomize_va_space=2\tdebug ");

        new BuilderVm(qemu, Accelerator.TCG, log, diagnostics).run(request("step", "true\n").kernelArgument("x=1").build());

        List<String> args = Files.readAllLines(temp.resolve("qemu").resolve(FakeQemu.ARGS_FILE));
        String append = args.get(args.indexOf("-append") + 1);
        assertTrue(append.endsWith(" x=1 sysctl.kernel.randomize_va_space=2 debug"), append);
    }

    @Test
    void diagnosticKernelArgumentsRefuseQuotes() {
        assertEquals(List.of(), BuilderVm.parseKernelArguments("  "));
        BuildException e = assertThrows(BuildException.class,
                () -> BuilderVm.parseKernelArguments("init=/bin/sh foo=\"a"));
        assertTrue(e.getMessage().startsWith("vm.builderKernelArguments: 'foo=\"a' contains a quote"), e.getMessage());
    }

    @Test
    void failingScriptNamesStepStatusLogAndLastLines() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), String.join("\n",
                "i=1; while [ $i -le 30 ]; do echo \"guest line $i\"; i=$((i+1)); done",
                "echo 'mke2fs: no such device' ",
                "echo 3 > \"$GUEST/.exit-status\""));

        BuildException failure = assertThrows(BuildException.class,
                () -> new BuilderVm(qemu, Accelerator.TCG, log).run(request("mkfs", "exit 3\n").build()));

        String message = failure.getMessage();
        assertTrue(message.contains("step 'mkfs' failed with exit status 3"), message);
        assertTrue(message.contains(temp.resolve("logs").resolve("mkfs.log").toString()), message);
        assertTrue(message.contains("mke2fs: no such device"), message);
        assertTrue(message.contains("guest line 30") && !message.contains("guest line 5\n"), "only the last lines: " + message);
        assertTrue(message.contains("guest line 12"), message);
        assertFalse(message.contains("guest line 11" + System.lineSeparator()), message);
    }

    @Test
    void vmThatDiesWithoutExitStatusIsReportedAsDied() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"),
                "echo 'Kernel panic - not syncing: VFS: Unable to mount root fs'; exit 0");

        BuildException failure = assertThrows(BuildException.class,
                () -> new BuilderVm(qemu, Accelerator.TCG, log).run(request("grub", "true\n").build()));

        String message = failure.getMessage();
        assertTrue(message.contains("the builder VM died before finishing step 'grub'"), message);
        assertTrue(message.contains("grub.log"), message);
        assertTrue(message.contains("Kernel panic"), message);
    }

    @Test
    void hangingGuestIsKilledAtTheTimeLimit() throws Exception {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), String.join("\n",
                "echo $$ > \"$here/qemu.pid\"",
                "echo 'guest is stuck'",
                "sleep 30 &",
                "echo $! > \"$here/child.pid\"",
                "wait"));
        BuilderVmRequest request = request("hang", "true\n").timeLimit(Duration.ofSeconds(1)).build();

        long start = System.nanoTime();
        BuildException failure = assertThrows(BuildException.class,
                () -> new BuilderVm(qemu, Accelerator.TCG, log).run(request));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        String message = failure.getMessage();
        assertTrue(message.contains("builder VM step 'hang' exceeded its time limit of 1 s; serial log: "
                + temp.resolve("logs").resolve("hang.log")), message);
        assertTrue(message.contains("guest is stuck"), message);
        assertTrue(took.compareTo(Duration.ofSeconds(6)) < 0, "returned soon after the limit: " + took);
        for (String pidFile : List.of("qemu.pid", "child.pid")) {
            long pid = Long.parseLong(Files.readString(temp.resolve("qemu").resolve(pidFile)).strip());
            assertFalse(stillAliveAfter(pid, Duration.ofSeconds(3)), pidFile + " " + pid + " was killed");
        }
    }

    /** A killed process may linger a moment as a zombie until its new parent reaps it. */
    private static boolean stillAliveAfter(long pid, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void longRunsReportProgressAndLogTheCommandAtDebug() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), "sleep 1; echo 0 > \"$GUEST/.exit-status\"");
        new BuilderVm(qemu, Accelerator.TCG, log, Duration.ofMillis(300)).run(request("slow", "true\n").build());
        assertTrue(log.infos.get(0).startsWith("builder VM 'slow': starting (tcg"), log.infos.toString());
        assertTrue(log.infos.get(log.infos.size() - 1).startsWith("builder VM 'slow': done in"), log.infos.toString());
        long progressLines = log.infos.stream().filter(line -> line.matches("builder VM 'slow': \\d+ s")).count();
        assertTrue(progressLines >= 2, "a progress line every 300 ms of a 1 s run: " + log.infos);
        assertTrue(log.debugs.stream().anyMatch(line -> line.contains("-initrd")), "command line logged at debug");
    }

    @Test
    void progressLinesSayWhatTheGuestIsDoing() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), String.join("\n",
                "echo 'BUILD-STEP unpacked 1.5'",
                "echo 'Setting up libc6:amd64 (2.36-9) ...'",
                "echo 'Setting up ca-certificates (20230311) ...'",
                "sleep 1",
                "echo 0 > \"$GUEST/.exit-status\""));
        BuilderVmRequest request = request("configure", "true\n")
                .progress(java.util.regex.Pattern.compile("^Setting up ([^ ]+) \\("), 114).build();
        new BuilderVm(qemu, Accelerator.TCG, log, Duration.ofMillis(300)).run(request);
        assertTrue(log.infos.stream().anyMatch(line -> line.matches(
                "builder VM 'configure': \\d+ s, 2/114 ca-certificates")), log.infos.toString());
    }

    @Test
    void aGuestSilentForTooLongIsStoppedAsHungWithItsLog() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), String.join("\n",
                "echo 'BUILD-STEP grub-install-bios 3.0'", "exec sleep 120"));
        long start = System.nanoTime();
        BuildException e = assertThrows(BuildException.class, () -> new BuilderVm(qemu, Accelerator.TCG, log,
                Duration.ofMillis(200)).run(request("build-image", "true\n").silenceLimit(Duration.ofSeconds(1))
                .timeLimit(Duration.ofMinutes(5)).build()));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 10, "stopped at the silence limit, not the time limit: " + seconds + " s");
        assertTrue(e.getMessage().contains("printed nothing for 1 s, grub-install-bios"), e.getMessage());
        assertTrue(e.getMessage().contains("taken as hung") && e.getMessage().contains("-Dvm.hangTimeout"),
                e.getMessage());
        assertTrue(e.getMessage().contains("BUILD-STEP grub-install-bios"), "the log's last lines: " + e.getMessage());
    }

    @Test
    void exchangeDiskWithoutTheInitsExitStatusMeansTheVmDied() throws IOException {
        // the folder came back but the status did not, or only a status the script forged inside /xchg
        for (String behaviour : List.of("echo 'sh: build.sh: killed'", "echo 0 > \"$XCHG/.exit-status\"")) {
            QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), behaviour);

            BuildException failure = assertThrows(BuildException.class,
                    () -> new BuilderVm(qemu, Accelerator.TCG, log).run(request("mkfs", "true\n").build()), behaviour);

            assertTrue(failure.getMessage().contains("the builder VM died before finishing step 'mkfs'"),
                    failure.getMessage());
        }
    }

    @Test
    void withoutAnOutputDiskTheInputsStartAtVda() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), "echo 0 > \"$GUEST/.exit-status\"");
        new BuilderVm(qemu, Accelerator.TCG, log).run(request("read", "true\n")
                .inputDisk(temp.resolve("a.tar")).inputDisk(temp.resolve("b.tar")).build());

        List<String> args = Files.readAllLines(temp.resolve("qemu").resolve(FakeQemu.ARGS_FILE));
        List<String> drives = args.stream().filter(a -> a.startsWith("file=")).toList();
        assertTrue(drives.get(0).contains("a.tar") && drives.get(1).contains("b.tar"), drives.toString());
        assertTrue(args.get(args.indexOf("-append") + 1).contains("builder.xchg-out=/dev/vdc"), args.toString());
    }

    @Test
    void guestDiskNamesCountAsTheKernelDoes() {
        assertEquals("/dev/vda", BuilderVm.guestDisk(0));
        assertEquals("/dev/vdz", BuilderVm.guestDisk(25));
        assertEquals("/dev/vdaa", BuilderVm.guestDisk(26));
        assertEquals("/dev/vdab", BuilderVm.guestDisk(27));
    }

    @Test
    void stepNamesThatCouldEscapeTheWorkFolderAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> BuilderVmRequest.builder("../x", kernel, initrd, "true").build());
    }

    @Test
    void autoAcceleratorMustBeResolvedFirst() {
        assertThrows(IllegalArgumentException.class,
                () -> new BuilderVm(new QemuInstallation(Path.of("q"), Path.of("i")), Accelerator.AUTO, log));
    }
}
