package dev.vmforge.system;

import dev.vmforge.BuildException;
import dev.vmforge.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleResolverTest {

    private static FileTree kernel() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("kernel/drivers/virtio/virtio_ring.ko", List.of("name=virtio_ring", "depends="));
        m.put("kernel/drivers/virtio/virtio.ko", List.of("name=virtio", "depends="));
        m.put("kernel/drivers/virtio/virtio_pci.ko", List.of("name=virtio_pci", "depends=virtio_ring,virtio"));
        m.put("kernel/drivers/block/virtio_blk.ko", List.of("depends=virtio,virtio_ring"));
        m.put("kernel/fs/ext4/ext4.ko", List.of("depends=jbd2,mbcache", "softdep=pre: crc32c"));
        m.put("kernel/fs/jbd2/jbd2.ko", List.of("depends="));
        m.put("kernel/fs/mbcache.ko", List.of("depends="));
        m.put("kernel/arch/x86/crypto/crc32c-intel.ko", List.of("alias=crc32c", "alias=crypto-crc32c", "depends="));
        m.put("kernel/fs/9p/9p.ko", List.of("depends=9pnet,netfs,fscache"));
        m.put("kernel/net/9p/9pnet.ko", List.of("depends="));
        m.put("kernel/fs/fscache/fscache.ko", List.of("depends=netfs"));
        m.put("kernel/fs/netfs/netfs.ko", List.of("depends="));
        FileTree tree = new FileTree();
        Fixtures.addKernel(tree, m, List.of("kernel/fs/fat/fat.ko"));
        return tree;
    }

    @Test
    void dependenciesComeFirstAndEachModuleOnce() {
        List<String> order = ModuleResolver.closure(kernel(), Fixtures.KVER, List.of("virtio_blk", "virtio_pci", "9p"));
        assertEquals(List.of("kernel/drivers/virtio/virtio.ko", "kernel/drivers/virtio/virtio_ring.ko",
                "kernel/drivers/block/virtio_blk.ko", "kernel/drivers/virtio/virtio_pci.ko",
                "kernel/net/9p/9pnet.ko", "kernel/fs/netfs/netfs.ko", "kernel/fs/fscache/fscache.ko",
                "kernel/fs/9p/9p.ko"), order);
    }

    @Test
    void softdepIsLoadedBeforeThroughItsAlias() {
        List<String> order = ModuleResolver.closure(kernel(), Fixtures.KVER, List.of("ext4"));
        assertEquals(List.of("kernel/arch/x86/crypto/crc32c-intel.ko", "kernel/fs/jbd2/jbd2.ko",
                "kernel/fs/mbcache.ko", "kernel/fs/ext4/ext4.ko"), order);
    }

    @Test
    void builtInModulesAreSkippedAndMissingOnesReported() {
        ModuleResolver r = ModuleResolver.of(kernel());
        ModuleResolver.ModuleSet set = r.resolve(List.of("fat"), List.of("vfat", "virtio-ring"));
        assertEquals(List.of("kernel/drivers/virtio/virtio_ring.ko"), set.modules(), "'-' and '_' are the same");
        assertEquals(List.of("fat"), set.builtIn());
        assertEquals(List.of("vfat"), set.unavailable());
        BuildException e = assertThrows(BuildException.class, () -> r.resolve(List.of("vfat"), List.of()));
        assertTrue(e.getMessage().contains("vfat") && e.getMessage().contains(Fixtures.KVER), e.getMessage());
    }

    @Test
    void compressedModulesAreReadAndCopiedDecompressed() throws Exception {
        FileTree tree = kernel();
        java.io.ByteArrayOutputStream xz = new java.io.ByteArrayOutputStream();
        byte[] elf = Fixtures.elfModule(List.of("depends=virtio"));
        try (var out = new org.tukaani.xz.XZOutputStream(xz, new org.tukaani.xz.LZMA2Options())) {
            out.write(elf);
        }
        tree.add(dev.vmforge.fs.FileEntry.file("lib/modules/" + Fixtures.KVER + "/kernel/drivers/net/virtio_net.ko.xz",
                0644, dev.vmforge.fs.Content.of(xz.toByteArray())));
        ModuleResolver r = ModuleResolver.of(tree);
        ModuleResolver.ModuleSet set = r.resolve(List.of("virtio_net"), List.of());
        assertEquals(List.of("kernel/drivers/virtio/virtio.ko", "kernel/drivers/net/virtio_net.ko.xz"), set.modules());
        FileTree initrd = new FileTree();
        r.copyInto(initrd, set, 0);
        assertEquals("kernel/drivers/virtio/virtio.ko\nkernel/drivers/net/virtio_net.ko\n",
                HostTree.text(initrd, "lib/modules/load-order"));
        assertEquals(elf.length, initrd.get("lib/modules/" + Fixtures.KVER + "/kernel/drivers/net/virtio_net.ko")
                .orElseThrow().content().size());
    }

    @Test
    void missingKernelIsAClearError() {
        BuildException e = assertThrows(BuildException.class, () -> KernelFiles.find(Fixtures.busyboxTree()));
        assertTrue(e.getMessage().contains("<kernel>"), e.getMessage());
    }
}
