package dev.vmforge.system;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.os.OperatingSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SystemInitrdTest {
    @TempDir
    Path dir;

    private static FileTree system() {
        FileTree tree = Fixtures.busyboxTree();
        Fixtures.addKernel(tree, Map.of(
                "kernel/drivers/virtio/virtio.ko", List.of("depends="),
                "kernel/drivers/virtio/virtio_pci.ko", List.of("depends=virtio"),
                "kernel/drivers/block/virtio_blk.ko", List.of("depends=virtio")), List.of("kernel/fs/ext4/ext4.ko"));
        return tree;
    }

    @Test
    void initrdHoldsBusyboxModulesInOrderAndInit() {
        FileTree initrd = SystemInitrd.build(system(), "ext4", 7, BuildLog.silent());
        assertEquals("kernel/drivers/virtio/virtio.ko\nkernel/drivers/virtio/virtio_pci.ko\nkernel/drivers/block/virtio_blk.ko\n",
                HostTree.text(initrd, "lib/modules/load-order"));
        assertEquals("not really busybox", HostTree.text(initrd, "bin/busybox"));
        FileEntry console = initrd.get("dev/console").orElseThrow();
        assertEquals(FileEntry.Type.CHAR_DEVICE, console.type());
        assertEquals(5, console.devMajor());
        String init = HostTree.text(initrd, "init");
        assertTrue(init.contains("KERNEL_VERSION=" + Fixtures.KVER + "\n") && init.contains("/lib/modules/$KERNEL_VERSION/$module"), init);
        assertTrue(init.contains("exec $B switch_root /newroot \"$init\""), init);
        assertTrue(initrd.entries().stream().allMatch(e -> e.mtime() == 7));
    }

    @Test
    void missingBusyboxOrFileSystemDriverIsAClearError() {
        FileTree noBusybox = system();
        noBusybox.removeTree("bin/busybox");
        BuildException e = assertThrows(BuildException.class, () -> SystemInitrd.build(noBusybox, "ext4", 0, BuildLog.silent()));
        assertTrue(e.getMessage().contains("busybox-static"), e.getMessage());
        assertThrows(BuildException.class, () -> SystemInitrd.build(system(), "xfs", 0, BuildLog.silent()));
    }

    @Test
    void aVolatileRootCarriesOverlayAndTheBusDriversTheKernelHas() {
        FileTree tree = system();
        Fixtures.addKernel(tree, Map.of(
                "kernel/drivers/virtio/virtio.ko", List.of("depends="),
                "kernel/drivers/virtio/virtio_pci.ko", List.of("depends=virtio"),
                "kernel/drivers/block/virtio_blk.ko", List.of("depends=virtio"),
                "kernel/fs/overlayfs/overlay.ko", List.of("depends="),
                "kernel/drivers/nvme/host/nvme.ko", List.of("depends=")), List.of("kernel/fs/ext4/ext4.ko"));
        String order = HostTree.text(SystemInitrd.build(tree, "ext4", RootMedium.VOLATILE_DISK, 7, BuildLog.silent()),
                "lib/modules/load-order");
        assertTrue(order.contains("kernel/fs/overlayfs/overlay.ko\n") && order.contains("nvme.ko"), order);
        assertEquals(List.of("vmforge.root=volatile", "rootwait=60"), RootMedium.VOLATILE_DISK.kernelArguments());
        assertEquals(List.of(), RootMedium.DISK.kernelArguments());
    }

    @Test
    void aKernelWithoutWhatTheMediumNeedsIsAnErrorNamingKernel() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> SystemInitrd.build(system(), "ext4", RootMedium.ISO, 0, BuildLog.silent()));
        assertEquals("operatingSystem/kernel", e.element());
        assertTrue(e.getMessage().contains("[overlay, isofs, sr_mod, usb_storage]")
                && e.getMessage().contains("an ISO image") && e.getMessage().contains("linux-image-amd64"), e.getMessage());
        e = assertThrows(InvalidConfigurationException.class,
                () -> SystemInitrd.build(system(), "ext4", RootMedium.VOLATILE_DISK, 0, BuildLog.silent()));
        assertTrue(e.getMessage().contains("[overlay]") && e.getMessage().contains("<volatileRoot>"), e.getMessage());
    }

    @Test
    void theInitMountsAVolatileRootUnderATmpfsOverlay() {
        String init = SystemInitrd.initScript("6.1.0-9-amd64");
        assertTrue(init.contains("vmforge.root=volatile) volatile=yes"), init);
        assertTrue(init.contains("-t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work overlay /newroot"), init);
        assertTrue(init.contains("--move /lower /newroot/media/root-ro"), init);
    }
}
