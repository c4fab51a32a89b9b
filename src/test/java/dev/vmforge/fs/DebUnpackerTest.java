package dev.vmforge.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebUnpackerTest {
    @TempDir
    Path dir;

    @Test
    void keepsModesOwnersTimesLinksAndSpecialFiles() throws Exception {
        Path deb = new TestDeb()
                .dir("./").dir("./usr/").dir("./usr/bin/")
                .file("./usr/bin/gzip", 04755, "gzip-binary")
                .hardlink("./usr/bin/gunzip", "./usr/bin/gzip")
                .symlink("./usr/bin/zcat", "gzip")
                .raw(tar -> {
                    TarArchiveEntry shadow = new TarArchiveEntry("./etc/shadow");
                    shadow.setMode(0640);
                    shadow.setUserId(0);
                    shadow.setGroupId(42);
                    shadow.setModTime(1_600_000_000_000L);
                    shadow.setSize(4);
                    TestDeb.write(tar, shadow, "root".getBytes(StandardCharsets.UTF_8));
                    TarArchiveEntry console = new TarArchiveEntry("./dev/console", TarConstants.LF_CHR, true);
                    console.setMode(0600);
                    console.setDevMajor(5);
                    console.setDevMinor(1);
                    TestDeb.write(tar, console, null);
                    TestDeb.write(tar, new TarArchiveEntry("./run/initctl", TarConstants.LF_FIFO, true), null);
                })
                .writeTo(dir.resolve("gzip.deb"));

        FileTree tree = new FileTree();
        UnpackedPackage unpacked = DebUnpacker.unpack(deb, tree);

        FileEntry gzip = tree.get("usr/bin/gzip").orElseThrow();
        assertEquals(04755, gzip.mode());
        assertEquals(1_700_000_000L, gzip.mtime());
        assertEquals("gzip-binary", new String(gzip.content().readAllBytes(), StandardCharsets.UTF_8));
        FileEntry gunzip = tree.get("usr/bin/gunzip").orElseThrow();
        assertEquals(FileEntry.Type.HARDLINK, gunzip.type());
        assertEquals("usr/bin/gzip", gunzip.linkTarget());
        assertEquals("gzip", tree.get("usr/bin/zcat").orElseThrow().linkTarget());
        FileEntry shadow = tree.get("etc/shadow").orElseThrow();
        assertEquals(List.of(0640, 0, 42, 1_600_000_000L), List.of(shadow.mode(), shadow.uid(), shadow.gid(), shadow.mtime()));
        FileEntry console = tree.get("dev/console").orElseThrow();
        assertEquals(List.of(FileEntry.Type.CHAR_DEVICE, 5, 1), List.of(console.type(), console.devMajor(), console.devMinor()));
        assertEquals(FileEntry.Type.FIFO, tree.get("run/initctl").orElseThrow().type());
        assertEquals(List.of("usr", "usr/bin", "usr/bin/gzip", "usr/bin/gunzip", "usr/bin/zcat", "etc/shadow",
                "dev/console", "run/initctl"), unpacked.paths());
    }

    @Test
    void laterPackagesWinAndMergedUsrSymlinksAreFollowed() throws Exception {
        Path base = new TestDeb().dir("./usr/lib/").symlink("./lib", "usr/lib").file("./etc/motd", "one")
                .writeTo(dir.resolve("base.deb"));
        Path libc = new TestDeb().control("Package: libc6\nVersion: 2.36\nArchitecture: amd64\n")
                .dir("./lib/").dir("./lib/x86_64-linux-gnu/").file("./lib/x86_64-linux-gnu/libc.so.6", "elf")
                .file("./etc/motd", "two")
                .writeTo(dir.resolve("libc.deb"));

        FileTree tree = new FileTree();
        List<UnpackedPackage> unpacked = DebUnpacker.unpack(List.of(base, libc), tree);

        assertEquals("elf", text(tree, "usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertEquals(FileEntry.Type.SYMLINK, tree.get("lib").orElseThrow().type());
        assertEquals("two", text(tree, "etc/motd"));
        assertEquals("libc6", unpacked.get(1).deb().name());
        assertTrue(unpacked.get(1).paths().contains("lib/x86_64-linux-gnu/libc.so.6"), "dpkg lists the package's own path");
    }

    @Test
    void refusesParentDirectoryEscape() throws Exception {
        assertRefused(new TestDeb().file("../etc/passwd", "root::0:0::/:/bin/sh"), "../etc/passwd", "'..'");
    }

    @Test
    void refusesAbsolutePaths() throws Exception {
        assertRefused(new TestDeb().file("/abs/path", "x"), "/abs/path", "absolute path");
    }

    @Test
    void refusesAFileWrittenThroughASymlinkThatLeavesTheRoot() throws Exception {
        assertRefused(new TestDeb().dir("./usr/").symlink("./usr/escape", "../../..")
                .file("./usr/escape/etc/passwd", "x"), "./usr/escape", "leads outside the root");
        assertRefused(new TestDeb().symlink("./up", "..").file("./up/x", "x"), "./up", "leads outside the root");
    }

    @Test
    void refusesHardLinksOutsideTheTreeOrToMissingFiles() throws Exception {
        assertRefused(new TestDeb().hardlink("./x", "../x"), "./x", "hard link to '../x'");
        assertRefused(new TestDeb().hardlink("./y", "/etc/shadow"), "./y", "absolute path");
        assertRefused(new TestDeb().hardlink("./z", "./etc/shadow"), "./z", "not a regular file earlier");
    }

    private void assertRefused(TestDeb deb, String entry, String reason) throws Exception {
        Path file = deb.writeTo(dir.resolve("evil.deb"));
        FileTree tree = new FileTree();
        UnsafePathException e = assertThrows(UnsafePathException.class, () -> DebUnpacker.unpack(file, tree));
        assertTrue(e.getMessage().contains("evil.deb"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + entry + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(tree.get("etc/passwd").isEmpty());
    }

    private static String text(FileTree tree, String path) throws Exception {
        return new String(tree.get(path).orElseThrow().content().readAllBytes(), StandardCharsets.UTF_8);
    }
}
