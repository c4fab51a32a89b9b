package dev.vmforge.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsBackWhatTarWriterWroteWithContentFromTheFile() throws Exception {
        FileTree tree = new FileTree();
        tree.add(FileEntry.directory("usr/bin", 0755));
        tree.add(FileEntry.file("usr/bin/java", 0755, "#!java").withOwner(0, 0));
        tree.add(new FileEntry("usr/bin/javac", FileEntry.Type.HARDLINK, 0755, 0, 0, 0, "usr/bin/java", 0, 0, null));
        tree.add(FileEntry.symlink("etc/alternatives/java", "/usr/lib/jvm/java-17/bin/java"));
        tree.add(FileEntry.file("etc/shadow", 0640, "root:*:1::::::\n").withOwner(0, 42));
        tree.add(new FileEntry("dev/console", FileEntry.Type.CHAR_DEVICE, 0600, 0, 0, 0, null, 5, 1, null));
        String longName = "usr/share/" + "x".repeat(120) + "/file";
        tree.add(FileEntry.file(longName, 0644, "long"));
        Path tar = dir.resolve("root.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            new TarWriter(1_700_000_000L).withPrefix("./").write(tree, out);
            out.write(new byte[64 * 1024]); // as on a raw disk: zeros after the end of the archive
        }

        FileTree read = TarReader.read(tar);

        assertEquals(tree.entries().stream().map(FileEntry::path).toList(),
                read.entries().stream().map(FileEntry::path).toList());
        FileEntry java = read.get("usr/bin/java").orElseThrow();
        assertEquals("#!java", new String(java.content().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(6, java.content().size());
        assertEquals(1_700_000_000L, java.mtime());
        assertEquals(FileEntry.Type.HARDLINK, read.get("usr/bin/javac").orElseThrow().type());
        assertEquals("/usr/lib/jvm/java-17/bin/java", read.get("etc/alternatives/java").orElseThrow().linkTarget());
        FileEntry shadow = read.get("etc/shadow").orElseThrow();
        assertEquals(List.of(0640, 0, 42), List.of(shadow.mode(), shadow.uid(), shadow.gid()));
        assertEquals(List.of(5, 1), List.of(read.get("dev/console").orElseThrow().devMajor(),
                read.get("dev/console").orElseThrow().devMinor()));
        assertEquals("long", new String(read.get(longName).orElseThrow().content().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void refusesDotDotNames() throws Exception {
        Path tar = rawTar(out -> write(out, file("./etc/../../escape", "x")));
        UnsafePathException e = assertThrows(UnsafePathException.class, () -> TarReader.read(tar));
        assertTrue(e.getMessage().contains("escape") && e.getMessage().contains(tar.toString()), e.getMessage());
    }

    @Test
    void refusesAbsoluteNames() throws Exception {
        Path tar = rawTar(out -> write(out, file("/etc/passwd", "x")));
        UnsafePathException e = assertThrows(UnsafePathException.class, () -> TarReader.read(tar));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
    }

    @Test
    void refusesSymlinksLeadingOutsideAndPathsThroughThem() throws Exception {
        Path outside = rawTar(out -> {
            TarArchiveEntry link = new TarArchiveEntry("./etc/evil", TarConstants.LF_SYMLINK);
            link.setLinkName("../../../root");
            write(out, link);
        });
        assertThrows(UnsafePathException.class, () -> TarReader.read(outside));

        Path through = rawTar(out -> {
            TarArchiveEntry link = new TarArchiveEntry("./lib", TarConstants.LF_SYMLINK);
            link.setLinkName("/");
            write(out, link);
            TarArchiveEntry up = new TarArchiveEntry("./up", TarConstants.LF_SYMLINK);
            up.setLinkName("lib/..");
            write(out, up);
            write(out, file("./up/x", "x"));
        });
        assertThrows(UnsafePathException.class, () -> TarReader.read(through));
    }

    @Test
    void refusesHardLinksToMissingOrAbsoluteTargets() throws Exception {
        Path missing = rawTar(out -> {
            TarArchiveEntry link = new TarArchiveEntry("./a", TarConstants.LF_LINK);
            link.setLinkName("./not-there");
            write(out, link);
        });
        assertThrows(UnsafePathException.class, () -> TarReader.read(missing));
        Path absolute = rawTar(out -> {
            TarArchiveEntry link = new TarArchiveEntry("./a", TarConstants.LF_LINK);
            link.setLinkName("/etc/shadow");
            write(out, link);
        });
        UnsafePathException e = assertThrows(UnsafePathException.class, () -> TarReader.read(absolute));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
    }

    interface TarBody {
        void write(TarArchiveOutputStream out) throws Exception;
    }

    private Path rawTar(TarBody body) throws Exception {
        Path tar = Files.createTempFile(dir, "raw", ".tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(out);
        }
        return tar;
    }

    private static TarArchiveEntry file(String name, String text) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(text.getBytes(StandardCharsets.UTF_8).length);
        return e;
    }

    private static void write(TarArchiveOutputStream out, TarArchiveEntry e) throws Exception {
        out.putArchiveEntry(e);
        if (e.isFile()) {
            out.write(new byte[(int) e.getSize()]);
        }
        out.closeArchiveEntry();
    }
}
