package dev.vmforge.docker;

import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommonsCompressLayerTarWriterTest {

    private static FileEntry hardLink(String path, String target) {
        return new FileEntry(path, FileEntry.Type.HARDLINK, 0755, 0, 0, 0, target, 0, 0, null);
    }

    private static TarContents write(FileTree tree) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter.standard().write(tree, 1, out);
        return TarContents.read(out.toByteArray());
    }

    @Test
    void hardLinkBeforeItsTargetInPathOrderCarriesTheContent() throws IOException {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("usr/bin/perl5.36.0", 0755, "perl binary"));
        tree.add(hardLink("usr/bin/perl", "usr/bin/perl5.36.0"));
        tree.add(hardLink("usr/bin/perl5.zz", "usr/bin/perl")); // a link to a link
        TarContents tar = write(tree);

        assertEquals(List.of("usr/", "usr/bin/", "usr/bin/perl", "usr/bin/perl5.36.0", "usr/bin/perl5.zz"),
                List.copyOf(tar.headers.keySet()));
        assertTrue(tar.headers.get("usr/bin/perl").isFile());
        assertFalse(tar.headers.get("usr/bin/perl").isLink());
        assertEquals("perl binary", new String(tar.bytes("usr/bin/perl"), StandardCharsets.UTF_8));
        assertEquals(0755, tar.headers.get("usr/bin/perl").getMode());
        for (String link : List.of("usr/bin/perl5.36.0", "usr/bin/perl5.zz")) {
            assertTrue(tar.headers.get(link).isLink(), link);
            assertEquals("usr/bin/perl", tar.headers.get(link).getLinkName(), link);
        }
    }

    @Test
    void hardLinkOutsideTheLayerIsAnError() {
        FileTree tree = new FileTree();
        tree.add(hardLink("bin/sh", "bin/busybox"));
        IOException e = assertThrows(IOException.class, () -> write(tree));
        assertTrue(e.getMessage().contains("bin/sh") && e.getMessage().contains("not in this layer"), e.getMessage());
    }

    @Test
    void ownerNamesAndTimesNeverComeFromTheHost() throws IOException {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("f", 0644, "x").withMtime(999).withOwner(5, 6));
        tree.add(FileEntry.file("d/" + "n".repeat(150), 0644, "long"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter.standard().write(tree, 42, out);
        String raw = out.toString(StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains(System.getProperty("user.name")), "no user name in any header, PAX included");
        assertFalse(raw.contains("atime") || raw.contains("ctime"));
        TarContents tar = TarContents.read(out.toByteArray());
        assertEquals(42_000, tar.headers.get("f").getModTime().getTime());
        assertEquals(5, tar.headers.get("f").getLongUserId());
        assertEquals("long", new String(tar.bytes("d/" + "n".repeat(150)), StandardCharsets.UTF_8));
    }
}
