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

/** The builder VM's host side against a fake QEMU: protocol, failures, time limit. */
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
        initrd = Files.writeString(temp.resolve("initrd.img"), "initrd");
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
                "cat \"$XCHG/input.txt\"", // no newline: the next marker shares its line
                "echo 'BUILD-STEP partition 2.50'",
                "echo made > \"$XCHG/out.txt\"",
                "echo 0 > \"$XCHG/.exit-status\""));
        Path input = Files.writeString(temp.resolve("input.txt"), "small input");

        BuilderVmResult result = new BuilderVm(qemu, Accelerator.TCG, log).run(request("partition", "echo SCRIPT-TEXT\n")
                .xchgFile("input.txt", input)
                .outputDisk(temp.resolve("out.qcow2"), DiskFormat.QCOW2, 64L << 20)
                .inputDisk(temp.resolve("rootfs.tar"))
                .build());

        assertEquals(List.of("init", "partition"), result.phases().stream().map(BuilderVmResult.PhaseMarker::name).toList());
        assertEquals(2.5, result.phases().get(1).guestUptimeSeconds());
        assertEquals("made", Files.readString(result.xchgDirectory().resolve("out.txt")).strip());
        String log = Files.readString(result.logFile());
        assertTrue(log.contains("echo SCRIPT-TEXT"), "the script reached the guest as build.sh: " + log);
        assertTrue(log.contains("small input"), log);
        assertEquals(64L << 20, Files.size(temp.resolve("out.qcow2")), "output disk created with its size");
        assertEquals("create -q -f qcow2 " + temp.resolve("out.qcow2") + " " + (64L << 20),
                Files.readString(temp.resolve("qemu").resolve("qemu-img-args.txt")).strip());

        List<String> args = Files.readAllLines(temp.resolve("qemu").resolve(FakeQemu.ARGS_FILE));
        String append = args.get(args.indexOf("-append") + 1);
        assertTrue(append.startsWith("console=ttyS0 quiet panic=-1 builder.script=/xchg/build.sh"), append);
        List<String> drives = args.stream().filter(a -> a.startsWith("file=")).toList();
        assertTrue(drives.get(0).contains("out.qcow2") && drives.get(0).contains("cache=unsafe"), "output is vda");
        assertTrue(drives.get(1).contains("rootfs.tar") && drives.get(1).contains("readonly=on"), "inputs follow");
    }

    @Test
    void failingScriptNamesStepStatusLogAndLastLines() throws IOException {
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), String.join("\n",
                "i=1; while [ $i -le 30 ]; do echo \"guest line $i\"; i=$((i+1)); done",
                "echo 'mke2fs: no such device' ",
                "echo 3 > \"$XCHG/.exit-status\""));

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
                "echo 'Kernel panic - not syncing: VFS: Unable to mount root fs'");

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
                "echo $$ > \"$XCHG/qemu.pid\"",
                "echo 'guest is stuck'",
                "sleep 30 &",
                "echo $! > \"$XCHG/child.pid\"",
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
        Path xchg = temp.resolve("work").resolve("hang.xchg");
        for (String pidFile : List.of("qemu.pid", "child.pid")) {
            long pid = Long.parseLong(Files.readString(xchg.resolve(pidFile)).strip());
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
        QemuInstallation qemu = FakeQemu.install(temp.resolve("qemu"), "sleep 1; echo 0 > \"$XCHG/.exit-status\"");
        new BuilderVm(qemu, Accelerator.TCG, log, Duration.ofMillis(300)).run(request("slow", "true\n").build());
        assertTrue(log.infos.get(0).startsWith("builder VM 'slow': starting (tcg"), log.infos.toString());
        assertTrue(log.infos.get(log.infos.size() - 1).startsWith("builder VM 'slow': done in"), log.infos.toString());
        long progressLines = log.infos.stream().filter(line -> line.matches("builder VM 'slow': \\d+ s\\.\\.\\.")).count();
        assertTrue(progressLines >= 2, "a progress line every 300 ms of a 1 s run: " + log.infos);
        assertTrue(log.debugs.stream().anyMatch(line -> line.contains("-virtfs")), "command line logged at debug");
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
