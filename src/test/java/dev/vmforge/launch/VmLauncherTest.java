package dev.vmforge.launch;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.os.VmSpec;
import dev.vmforge.vm.Accelerator;
import dev.vmforge.vm.DiskFormat;
import dev.vmforge.vm.QemuInstallation;
import dev.vmforge.vm.QmpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VmLauncherTest {
    @TempDir
    Path work;
    private final VmLauncher launcher = new VmLauncher(new QemuInstallation(Path.of("/q/qemu-system-x86_64"),
            Path.of("/q/qemu-img")), Accelerator.TCG, BuildLog.silent());

    private static VmSpec vm(VmSpec.PortForward... forwards) {
        return new VmSpec(512, 2, false, List.of(forwards), List.of(), "auto", false, false);
    }

    private static String after(List<String> args, String option) {
        return args.get(args.indexOf(option) + 1);
    }

    @Test
    void kernelBootInTheBackground() {
        BootableSystem system = new BootableSystem.KernelBoot(Path.of("/s/vmlinuz"), Path.of("/s/initrd.img"),
                Path.of("/s/disk.qcow2"), DiskFormat.QCOW2, "root=UUID=x console=ttyS0");
        VmLauncher.Launch launch = new VmLauncher.Launch("web", "demo", system,
                vm(new VmSpec.PortForward(0, 8080), new VmSpec.PortForward("0.0.0.0", 18450, 22)),
                VmLauncher.Console.FILE, work);
        VmLauncher.VmFiles files = VmLauncher.VmFiles.of(work, "web");
        List<String> args = launcher.command(launch, files).arguments();
        assertEquals("demo", after(args, "-name"));
        assertEquals("/s/vmlinuz", after(args, "-kernel"));
        assertEquals("root=UUID=x console=ttyS0", after(args, "-append"));
        assertEquals("file:" + work.resolve("console-web.log"), after(args, "-serial"));
        assertEquals("unix:" + work.resolve("qmp-web.sock") + ",server=on,wait=off", after(args, "-qmp"));
        assertEquals(work.resolve("vm-web.pid").toString(), after(args, "-pidfile"));
        assertTrue(args.contains("-S"), "paused until the ports are known");
        assertEquals("file=/s/disk.qcow2,if=virtio,format=qcow2,werror=report,rerror=report,snapshot=on", after(args, "-drive"),
                "the disk is never written");
        assertEquals("user,id=net0,hostfwd=tcp:127.0.0.1:0-:8080,hostfwd=tcp:0.0.0.0:18450-:22", after(args, "-netdev"));
        assertEquals("max,erms=off,fsrm=off", after(args, "-cpu"));
        assertEquals("512", after(args, "-m"));
    }

    @Test
    void imageBootOnTheTerminal() {
        BootableSystem system = new BootableSystem.DiskImage(Path.of("/t/demo-1.img"), DiskFormat.RAW, false);
        VmLauncher.Launch launch = new VmLauncher.Launch("default", "demo", system, vm(), VmLauncher.Console.TERMINAL,
                work);
        List<String> args = launcher.command(launch, VmLauncher.VmFiles.of(work, "default")).arguments();
        assertFalse(args.contains("-kernel"), "booted through the image's firmware and GRUB");
        assertEquals("mon:stdio", after(args, "-serial"));
        assertEquals("file=/t/demo-1.img,if=virtio,format=raw,werror=report,rerror=report,snapshot=on", after(args, "-drive"));
    }

    @Test
    void aDeepProjectKeepsItsQmpSocketPathShort() {
        Path deep = work.resolve("a".repeat(60)).resolve("b".repeat(60));
        VmLauncher.VmFiles files = VmLauncher.VmFiles.of(deep, "default");
        try {
            assertTrue(files.qmpSocket().toString().length() <= 100, files.qmpSocket().toString());
            assertTrue(files.console().startsWith(deep.toAbsolutePath()));
        } finally {
            files.deleteRuntimeFiles();
        }
        assertFalse(files.qmpSocket().getParent().toFile().exists(), "its temporary directory was removed");
    }

    @Test
    void aTakenFixedPortFailsNamingTheForwarding() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            BuildException e = assertThrows(BuildException.class, () -> VmLauncher.requireFreeHostPorts(
                    vm(new VmSpec.PortForward(0, 22), new VmSpec.PortForward(port, 80))));
            assertTrue(e.getMessage().startsWith("<vm><portForwardings><portForwarding>[2] '" + port + ":80': host port "
                    + port + " on 127.0.0.1 is not free"), e.getMessage());
            assertTrue(e.getMessage().contains("write 0:80 to let vm:start pick a free one"), e.getMessage());
        }
    }

    @Test
    void freePortsAreReadFromTheUserNetwork() {
        List<QmpClient.UserNetworkSocket> sockets = List.of(
                new QmpClient.UserNetworkSocket("TCP", "HOST_FORWARD", "127.0.0.1", 41234, "10.0.2.15", 8080),
                new QmpClient.UserNetworkSocket("TCP", "ESTABLISHED", "127.0.0.1", 18450, "10.0.2.15", 22),
                new QmpClient.UserNetworkSocket("TCP", "HOST_FORWARD", "127.0.0.2", 18450, "10.0.2.15", 22));
        assertEquals(List.of(new VmSpec.PortForward(41234, 8080), new VmSpec.PortForward("127.0.0.2", 18450, 22)),
                VmLauncher.forwardedPorts(sockets, List.of(new VmSpec.PortForward(0, 8080),
                        new VmSpec.PortForward("127.0.0.2", 18450, 22))));
    }
}
