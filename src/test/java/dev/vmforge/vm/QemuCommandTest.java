package dev.vmforge.vm;

import dev.vmforge.ShellQuoting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QemuCommandTest {
    private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

    @Test
    void builderCommandUnderTcg() {
        List<String> args = QemuCommand.create(QEMU, Accelerator.TCG)
                .memoryMiB(1024)
                .kernel(Path.of("/k/vmlinuz"), Path.of("/k/initrd"), "console=ttyS0 quiet")
                .drive(QemuCommand.Drive.builderOutput(Path.of("/w/out.qcow2"), DiskFormat.QCOW2))
                .drive(QemuCommand.Drive.readOnly(Path.of("/w/rootfs.tar"), DiskFormat.RAW))
                .share(new QemuCommand.Share(Path.of("/w/xchg"), "xchg", false))
                .randomNumberGenerator()
                .arguments();
        assertEquals(List.of("/usr/bin/qemu-system-x86_64",
                "-machine", "pc", "-accel", "tcg", "-cpu", "max", "-smp", "1", "-m", "1024",
                "-nodefaults", "-no-reboot", "-display", "none", "-serial", "stdio",
                "-kernel", "/k/vmlinuz", "-initrd", "/k/initrd", "-append", "console=ttyS0 quiet",
                "-drive", "file=/w/out.qcow2,if=virtio,format=qcow2,cache=unsafe,werror=report,rerror=report",
                "-drive", "file=/w/rootfs.tar,if=virtio,format=raw,readonly=on",
                "-virtfs", "local,path=/w/xchg,security_model=none,mount_tag=xchg",
                "-device", "virtio-rng-pci"), args);
    }

    @Test
    void cpuModelReplacesTheDefault() {
        List<String> args = QemuCommand.create(QEMU, Accelerator.TCG).cpuModel("max,erms=off").arguments();
        assertEquals("max,erms=off", args.get(args.indexOf("-cpu") + 1));
    }

    @Test
    void bootTestCommandWithUefiNetworkAndReadOnlyShare() {
        List<String> args = QemuCommand.create(QEMU, Accelerator.KVM)
                .cpus(2).memoryMiB(256)
                .serialToFile(Path.of("/t/serial.log"))
                .uefi(Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd"), Path.of("/t/vars.fd"))
                .drive(QemuCommand.Drive.snapshot(Path.of("/t/image.qcow2"), DiskFormat.QCOW2))
                .share(new QemuCommand.Share(Path.of("/data"), "data", true))
                .userNetwork(List.of(new QemuCommand.PortForward(8080, 80),
                        new QemuCommand.PortForward("0.0.0.0", 0, 22)))
                .arguments();
        assertEquals(List.of("-cpu", "host", "-smp", "2", "-m", "256"), args.subList(5, 11));
        assertTrue(args.containsAll(List.of("-serial", "file:/t/serial.log")), args.toString());
        assertTrue(args.contains("if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd"));
        assertTrue(args.contains("if=pflash,format=raw,unit=1,file=/t/vars.fd"));
        assertTrue(args.contains("file=/t/image.qcow2,if=virtio,format=qcow2,werror=report,rerror=report,snapshot=on"),
                "a write error (full disk) reaches the guest instead of pausing it: " + args);
        assertTrue(args.contains("local,path=/data,security_model=none,mount_tag=data,readonly=on"));
        int netdev = args.indexOf("-netdev");
        assertEquals("user,id=net0,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=tcp:0.0.0.0:0-:22", args.get(netdev + 1));
        assertEquals(List.of("-device", "virtio-net-pci,netdev=net0,romfile="), args.subList(netdev + 2, netdev + 4));
    }

    @Test
    void systemVmWithNameQmpPausedAndConsoleOnTheTerminal() {
        List<String> args = QemuCommand.create(QEMU, Accelerator.TCG).name("web,1").serialToTerminal()
                .qmp(Path.of("/t/a,b/qmp.sock")).paused().arguments();
        assertEquals(List.of("-name", "web,,1"), args.subList(1, 3));
        assertTrue(args.containsAll(List.of("-serial", "mon:stdio")), args.toString());
        assertEquals("unix:/t/a,,b/qmp.sock,server=on,wait=off", args.get(args.indexOf("-qmp") + 1));
        assertTrue(args.contains("-S"), args.toString());
    }

    @Test
    void commasInPathsAreDoubledInsideOptionValues() {
        List<String> args = QemuCommand.create(QEMU, Accelerator.TCG)
                .drive(QemuCommand.Drive.persistent(Path.of("/a,b/disk.img"), DiskFormat.RAW)).arguments();
        assertTrue(args.contains("file=/a,,b/disk.img,if=virtio,format=raw,werror=report,rerror=report"), args.toString());
    }

    @Test
    void autoMustBeResolvedAndBadValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> QemuCommand.create(QEMU, Accelerator.AUTO));
        assertThrows(IllegalArgumentException.class, () -> new QemuCommand.Share(Path.of("/x"), "a,b", false));
        assertThrows(IllegalArgumentException.class, () -> new QemuCommand.PortForward(80, 0));
        assertThrows(IllegalArgumentException.class, () -> new QemuCommand.PortForward(65536, 80));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void shellLineSplitsBackIntoTheSameArguments() throws IOException, InterruptedException {
        QemuCommand command = QemuCommand.create(Path.of("/opt/my qemu/qemu-system-x86_64"), Accelerator.TCG)
                .kernel(Path.of("/k/vmlinuz"), null, "console=ttyS0 app.greeting='it''s \"fine\"' $HOME `x`")
                .share(new QemuCommand.Share(Path.of("/tmp/a b"), "xchg", true));
        String line = command.toShellLine();
        // sh re-splits the line; printf prints one argument per line.
        Process sh = new ProcessBuilder("sh", "-c", "printf '%s\\n' " + line).redirectErrorStream(true).start();
        String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor());
        List<String> expected = new ArrayList<>(command.arguments());
        assertEquals(expected, List.of(output.split("\n")));
    }

    @Test
    void shellQuotingLeavesPlainWordsAlone() {
        assertEquals("-m", ShellQuoting.quote("-m"));
        assertEquals("file=/a/b.img,if=virtio", ShellQuoting.quote("file=/a/b.img,if=virtio"));
        assertEquals("''", ShellQuoting.quote(""));
        assertEquals("'it'\\''s'", ShellQuoting.quote("it's"));
    }
}
