package dev.vmforge.bench;

import dev.vmforge.BuildLog;
import dev.vmforge.vm.Accelerator;
import dev.vmforge.vm.AcceleratorProbe;
import dev.vmforge.vm.BuilderVm;
import dev.vmforge.vm.BuilderVmRequest;
import dev.vmforge.vm.BuilderVmResult;
import dev.vmforge.vm.DiskFormat;
import dev.vmforge.vm.QemuInstallation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Boots the builder VM twice and splits the time: a reference run whose script does nothing (the fixed cost:
 * firmware, kernel, modules, 9p), and a run that writes to the output disk and the exchange folder.
 * Prints the phase markers of each and the ratio of the two wall times.
 *
 * <p>Usage: {@code BuilderVmBench KERNEL BUILDER_INITRD [WORKDIR]} (an initramfs whose /init is BuilderInit.SCRIPT,
 * with busybox and the virtio/9p modules listed in lib/modules/load-order).
 */
public final class BuilderVmBench {
    private BuilderVmBench() {
    }

    public static void main(String[] args) throws Exception {
        Path kernel = Path.of(args[0]);
        Path initrd = Path.of(args[1]);
        Path work = Path.of(args.length > 2 ? args[2] : "target/vm-bench");
        BuildLog log = BuildLog.console();
        QemuInstallation qemu = QemuInstallation.locate(null);

        long probeStart = System.nanoTime();
        Accelerator accelerator = new AcceleratorProbe(qemu, log, null).resolve(Accelerator.AUTO);
        System.out.printf("accelerator: %s (decided in %d ms)%n", accelerator,
                Duration.ofNanos(System.nanoTime() - probeStart).toMillis());
        BuilderVm vm = new BuilderVm(qemu, accelerator, log);

        BuilderVmResult reference = vm.run(BuilderVmRequest.builder("bench-empty", kernel, initrd, "true\n")
                .workDirectory(work).logFile(work.resolve("bench-empty.log")).timeLimit(Duration.ofMinutes(3)).build());
        print(reference);

        String script = String.join("\n",
                "set -e",
                "echo hello from the builder VM",
                "build-step write-disk",
                "dd if=/dev/zero of=/dev/vda bs=1M count=16 2>/dev/null",
                "echo OUTPUT-DISK-MARK | dd of=/dev/vda bs=512 seek=1 conv=notrunc 2>/dev/null",
                "build-step write-xchg",
                "uname -r > /xchg/result.txt",
                "ls /dev/vd* >> /xchg/result.txt",
                "");
        BuilderVmResult work1 = vm.run(BuilderVmRequest.builder("bench-work", kernel, initrd, script)
                .workDirectory(work).logFile(work.resolve("bench-work.log"))
                .outputDisk(work.resolve("bench-out.raw"), DiskFormat.RAW, 64L << 20)
                .timeLimit(Duration.ofMinutes(3)).build());
        print(work1);
        System.out.println("result.txt: " + Files.readString(work1.xchgDirectory().resolve("result.txt")).strip()
                .replace('\n', ' '));
        byte[] sector = new byte[16];
        try (var in = Files.newInputStream(work1.outputDisk())) {
            in.skipNBytes(512);
            in.readNBytes(sector, 0, 16);
        }
        System.out.println("output disk sector 1: " + new String(sector).strip());
        System.out.printf("ratio work/empty wall time: %.2f%n",
                work1.wallTime().toMillis() / (double) reference.wallTime().toMillis());
    }

    private static void print(BuilderVmResult result) {
        System.out.printf("%s: wall %.2f s%n", result.stepName(), result.wallTime().toMillis() / 1000.0);
        for (BuilderVmResult.PhaseMarker phase : result.phases()) {
            System.out.printf("  %-14s guest uptime %6.2f s   host elapsed %6.2f s%n", phase.name(),
                    phase.guestUptimeSeconds(), phase.hostElapsed().toMillis() / 1000.0);
        }
    }
}
