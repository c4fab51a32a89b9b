package dev.vmforge.system;

import dev.vmforge.fs.FileTree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against Debian's real linux-image-cloud-amd64 unpacked in /tmp/sysdev/root (see the report for the command);
 * skipped when it is not there, so {@code mvn test} stays offline.
 */
@EnabledIf("present")
class RealKernelTest {
    static final Path ROOT = Path.of("/tmp/sysdev/root");
    static FileTree tree;

    static boolean present() {
        return Files.isDirectory(ROOT.resolve("lib/modules"));
    }

    @BeforeAll
    static void load() throws Exception {
        tree = HostTree.load(ROOT);
    }

    @Test
    void rootDiskModulesOfTheCloudKernel() {
        ModuleResolver resolver = ModuleResolver.of(tree);
        ModuleResolver.ModuleSet set = resolver.resolve(List.of("virtio_pci", "virtio_blk", "ext4"), List.of("9pnet_virtio", "9p", "crc32c"));
        List<String> names = set.modules().stream().map(p -> p.substring(p.lastIndexOf('/') + 1)).toList();
        assertTrue(names.indexOf("virtio.ko") < names.indexOf("virtio_pci.ko"), names.toString());
        assertTrue(names.indexOf("virtio_ring.ko") < names.indexOf("virtio_blk.ko"), names.toString());
        assertTrue(set.builtIn().contains("ext4"), set.builtIn().toString());
        assertTrue(set.unavailable().contains("9p"), "the cloud kernel has no 9p: " + set.unavailable());
        assertTrue(set.builtIn().contains("crc32c"), "crc32c_generic is built in and provides the alias crc32c");
        byte[] elf = resolver.moduleBytes(set.modules().get(0));
        assertEquals(0x7f, elf[0]);
    }
}
