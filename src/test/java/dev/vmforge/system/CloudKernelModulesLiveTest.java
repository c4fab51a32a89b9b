package dev.vmforge.system;

import dev.vmforge.BuildLog;
import dev.vmforge.debian.Base;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolveRequest;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.fs.DebUnpacker;
import dev.vmforge.fs.FileTree;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module resolution against Debian's real linux-image-cloud-amd64, which ships no modules.dep. */
@EnabledIfSystemProperty(named = "vm.test.live", matches = "true")
class CloudKernelModulesLiveTest {
    static FileTree tree;

    @BeforeAll
    static void unpackTheRealKernel() throws Exception {
        Path cache = Path.of(System.getProperty("vm.cacheDirectory", System.getProperty("user.home") + "/.cache/vm-maven-plugin"));
        DebianArchive archive = new DebianArchive(cache, false, BuildLog.silent());
        PackageSource bookworm = new PackageSource(URI.create("http://deb.debian.org/debian"), "bookworm",
                List.of("main"), "amd64", null);
        ResolvedClosure kernel = archive.resolve(new ResolveRequest(List.of(bookworm), List.of(),
                "linux-image-cloud-amd64", Base.MINIMAL, false));
        tree = new FileTree();
        DebUnpacker.unpack(List.copyOf(archive.download(kernel.packages()).values()), tree);
    }

    @Test
    void rootDiskModulesOfTheCloudKernel() {
        ModuleResolver resolver = ModuleResolver.of(tree);
        ModuleResolver.ModuleSet set = resolver.resolve(List.of("virtio_pci", "virtio_blk", "ext4"),
                List.of("9pnet_virtio", "9p", "crc32c"));
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
