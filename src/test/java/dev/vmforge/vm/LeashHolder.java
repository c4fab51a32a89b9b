package dev.vmforge.vm;

import dev.vmforge.BuildLog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A JVM that holds a QEMU and waits to be killed, for {@link LeashQemuTest}: {@code builder DIR} runs a builder VM
 * step through {@link BuilderVm} with a fake QEMU (a sleeping sh script) installed in DIR, {@code qemu DIR} runs the
 * real {@code qemu-system-x86_64}, paused, on a leash. Either way DIR/qemu.pid names the QEMU process once it runs,
 * and this JVM then waits until it is killed.
 */
public final class LeashHolder {
    private LeashHolder() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("builder")) {
            QemuInstallation qemu = FakeQemu.install(dir.resolve("qemu"),
                    "echo $$ > \"$here/../qemu.pid.tmp\" && mv \"$here/../qemu.pid.tmp\" \"$here/../qemu.pid\"\n"
                            + "exec sleep 300");
            Path kernel = Files.writeString(dir.resolve("vmlinuz"), "kernel");
            Path initrd = Files.writeString(dir.resolve("initrd.img"), "initrd");
            new BuilderVm(qemu, Accelerator.TCG, BuildLog.silent()).run(BuilderVmRequest.builder("hold", kernel,
                            initrd, "true\n")
                    .workDirectory(dir.resolve("work")).logFile(dir.resolve("hold.log"))
                    .timeLimit(Duration.ofMinutes(5)).build());
        } else {
            QemuInstallation qemu = QemuInstallation.locate(null);
            List<String> command = QemuCommand.create(qemu, Accelerator.TCG).memoryMiB(64).paused()
                    .pidFile(dir.resolve("qemu.pid")).arguments();
            LeashedProcess.start(command, dir, LeashedProcess.Streams.file(dir.resolve("qemu.log")));
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
    }
}
