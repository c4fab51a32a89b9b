package dev.vmforge.vm;

import dev.vmforge.BuildException;
import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuilderInitramfsTest {
    static final String LOADER = "/lib64/ld-linux-x86-64.so.2";

    /** A tree shaped like Debian bookworm's builder packages, unpacked, with synthetic ELF files. */
    static FileTree packages() {
        FileTree t = new FileTree();
        t.add(FileEntry.file("bin/busybox", 0755, Content.of(ElfFixture.elf(null, null, List.of()))));
        for (String tool : List.of("sbin/sfdisk", "sbin/mke2fs", "sbin/e2fsck", "sbin/mkfs.fat",
                "usr/sbin/grub-install", "usr/sbin/grub-probe", "usr/bin/grub-mkimage", "usr/bin/grub-editenv",
                "usr/lib/grub/i386-pc/grub-bios-setup", "usr/bin/mtools", "usr/bin/xorriso")) {
            List<String> needed = tool.endsWith("sfdisk") ? List.of("libfdisk.so.1", "libc.so.6") : List.of("libc.so.6");
            t.add(FileEntry.file(tool, 0755, Content.of(ElfFixture.elf(LOADER, null, needed))));
        }
        t.add(FileEntry.symlink("sbin/mkfs.ext4", "mke2fs"));
        t.add(FileEntry.symlink("usr/bin/mcopy", "mtools"));
        t.add(FileEntry.symlink("usr/lib/x86_64-linux-gnu/libfdisk.so.1", "libfdisk.so.1.1.0"));
        t.add(FileEntry.file("usr/lib/x86_64-linux-gnu/libfdisk.so.1.1.0", 0644,
                Content.of(ElfFixture.elf(null, "libfdisk.so.1", List.of("libblkid.so.1", "libc.so.6")))));
        t.add(FileEntry.symlink("lib/x86_64-linux-gnu/libblkid.so.1", "../../usr/lib/x86_64-linux-gnu/libblkid.so.1.1.0"));
        t.add(FileEntry.file("usr/lib/x86_64-linux-gnu/libblkid.so.1.1.0", 0644,
                Content.of(ElfFixture.elf(null, "libblkid.so.1", List.of("libc.so.6")))));
        t.add(FileEntry.file("lib/x86_64-linux-gnu/libc.so.6", 0755,
                Content.of(ElfFixture.elf(LOADER, "libc.so.6", List.of("ld-linux-x86-64.so.2")))));
        t.add(FileEntry.file("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0755, Content.of(ElfFixture.elf(null, "ld-linux-x86-64.so.2", List.of()))));
        t.add(FileEntry.symlink("lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
        t.add(FileEntry.file("lib/x86_64-linux-gnu/libunused.so.1", 0644, Content.of(ElfFixture.elf(null, "libunused.so.1", List.of()))));
        t.add(FileEntry.file("usr/lib/grub/i386-pc/boot.img", 0644, "boot"));
        t.add(FileEntry.file("usr/lib/grub/x86_64-efi/ext2.mod", 0644, "mod"));
        t.add(FileEntry.file("usr/lib/grub/x86_64-efi/monolithic/grubx64.efi", 0644, "big"));
        t.add(FileEntry.file("usr/share/grub/unicode.pf2", 0644, "font"));
        t.add(FileEntry.file("etc/mke2fs.conf", 0644, "[defaults]\n"));
        t.add(FileEntry.file("usr/lib/x86_64-linux-gnu/gconv/IBM850.so", 0644, "cp850"));
        return t;
    }

    static FileTree kernel() {
        FileTree k = new FileTree();
        k.add(FileEntry.file("lib/modules/6.1.0-1-amd64/kernel/drivers/virtio/virtio.ko", 0644, "v"));
        k.add(FileEntry.file("lib/modules/6.1.0-1-amd64/kernel/drivers/block/virtio_blk.ko", 0644, "vb"));
        return k;
    }

    static final List<String> MODULES = List.of(
            "lib/modules/6.1.0-1-amd64/kernel/drivers/virtio/virtio.ko",
            "lib/modules/6.1.0-1-amd64/kernel/drivers/block/virtio_blk.ko");

    @Test
    void composesToolsLibrariesGrubFilesModulesAndInit() throws IOException {
        FileTree out = BuilderInitramfs.compose(packages(), kernel(), MODULES, "#!/bin/busybox sh\necho init\n");

        assertEquals(0755, out.get("init").orElseThrow().mode());
        assertEquals("#!/bin/busybox sh\necho init\n", text(out, "init"));
        assertTrue(out.contains("bin/busybox"));
        assertEquals("busybox", out.get("bin/sh").orElseThrow().linkTarget());
        for (String tool : BuilderInitramfs.TOOLS) {
            assertEquals(FileEntry.Type.FILE, out.get("usr/sbin/" + tool).orElseThrow().type(), tool);
        }
        assertEquals("mke2fs", out.get("usr/sbin/mkfs.ext4").orElseThrow().linkTarget());
        // the library closure: soname links kept, real files copied, the loader via its absolute link
        assertEquals("libfdisk.so.1.1.0", out.get("usr/lib/x86_64-linux-gnu/libfdisk.so.1").orElseThrow().linkTarget());
        assertTrue(out.contains("usr/lib/x86_64-linux-gnu/libfdisk.so.1.1.0"));
        assertTrue(out.contains("lib/x86_64-linux-gnu/libblkid.so.1"), "transitive dependency of libfdisk");
        assertTrue(out.contains("usr/lib/x86_64-linux-gnu/libblkid.so.1.1.0"));
        assertTrue(out.contains("lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals(FileEntry.Type.SYMLINK, out.get("lib64/ld-linux-x86-64.so.2").orElseThrow().type());
        assertTrue(out.contains("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
        assertFalse(out.contains("lib/x86_64-linux-gnu/libunused.so.1"), "libraries nobody needs stay out");
        // GRUB platform files without the monolithic images; nothing from /usr/share/grub
        assertTrue(out.contains("usr/lib/grub/i386-pc/boot.img"));
        assertTrue(out.contains("usr/lib/grub/x86_64-efi/ext2.mod"));
        assertFalse(out.contains("usr/lib/grub/x86_64-efi/monolithic"));
        assertFalse(out.contains("usr/share/grub/unicode.pf2"));
        // the plugin's mke2fs.conf, not the package's: the file system's features do not follow e2fsprogs' version
        String conf = text(out, "etc/mke2fs.conf");
        assertTrue(conf.contains("ext4 = {\n\t\tfeatures = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize\n"), conf);
        assertFalse(conf.contains("metadata_csum_seed") || conf.contains("orphan_file"), "GRUB 2.06 refuses these: " + conf);
        assertEquals("mtools", out.get("usr/sbin/mcopy").orElseThrow().linkTarget());
        assertTrue(out.contains("usr/lib/grub/i386-pc/grub-bios-setup"));
        assertEquals("cp850", text(out, "usr/lib/x86_64-linux-gnu/gconv/IBM850.so"), "mtools' code page converter");
        assertTrue(text(out, "usr/lib/x86_64-linux-gnu/gconv/gconv-modules").contains("alias\tCP850//\tIBM850//\n"));
        assertEquals("/proc/self/mounts", out.get("etc/mtab").orElseThrow().linkTarget());
        for (String dir : List.of("proc", "sys", "dev", "mnt", "xchg")) {
            assertTrue(out.get(dir).orElseThrow().isDirectory(), dir);
        }
        assertEquals(01777, out.get("tmp").orElseThrow().mode());
        // modules flat in lib/modules, listed by file name in load order
        assertEquals("vb", text(out, "lib/modules/virtio_blk.ko"));
        assertEquals("virtio.ko\nvirtio_blk.ko\n", text(out, BuilderInitramfs.LOAD_ORDER));
    }

    @Test
    void aMissingLibraryIsNamedWithTheFileThatNeedsIt() {
        FileTree p = packages();
        p.removeTree("usr/lib/x86_64-linux-gnu/libblkid.so.1.1.0");
        BuildException e = assertThrows(BuildException.class,
                () -> BuilderInitramfs.compose(p, kernel(), MODULES, "init"));
        assertTrue(e.getMessage().contains("libblkid.so.1"), e.getMessage());
        assertTrue(e.getMessage().contains("libfdisk.so.1.1.0"), e.getMessage());
    }

    @Test
    void aMissingToolOrModuleFailsClearly() {
        FileTree p = packages();
        p.removeTree("usr/sbin/grub-install");
        BuildException tool = assertThrows(BuildException.class,
                () -> BuilderInitramfs.compose(p, kernel(), MODULES, "init"));
        assertTrue(tool.getMessage().contains("grub-install"), tool.getMessage());

        BuildException module = assertThrows(BuildException.class, () -> BuilderInitramfs.compose(packages(), kernel(),
                List.of("lib/modules/6.1.0-1-amd64/kernel/fs/ext4/ext4.ko"), "init"));
        assertTrue(module.getMessage().contains("ext4.ko"), module.getMessage());
    }

    @Test
    void linkResolutionStaysInsideTheTreeAndStopsOnLoops() {
        FileTree t = new FileTree();
        t.add(FileEntry.file("etc/real", 0644, "x"));
        t.add(FileEntry.symlink("a/b/up", "../../../../etc/real")); // '..' above the root stays at the root
        t.add(FileEntry.symlink("loop1", "loop2"));
        t.add(FileEntry.symlink("loop2", "/loop1"));
        assertEquals("etc/real", TreeLinks.resolve(t, "a/b/up").orElseThrow().entry().path());
        assertTrue(TreeLinks.resolve(t, "loop1").isEmpty());
        assertTrue(TreeLinks.resolve(t, "nothing/here").isEmpty());
    }

    private static String text(FileTree tree, String path) throws IOException {
        try (InputStream in = tree.get(path).orElseThrow().content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
