package dev.vmforge.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpioWriterTest {
    @TempDir
    Path dir;

    static byte[] cpio(FileTree tree) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CpioWriter(1).write(tree, out);
        return out.toByteArray();
    }

    @Test
    void sameTreeGivesSameBytesWhateverTheInsertionOrder() throws Exception {
        byte[] first = cpio(WriterFixtures.tree(1));
        assertArrayEquals(first, cpio(WriterFixtures.tree(42)));
        String text = new String(first, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("070701"));
        assertTrue(text.contains("TRAILER!!!"));
        assertEquals(0, first.length % 4);
    }

    @Test
    void gnuCpioListsAndExtractsHardLinksAsOneFile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cpio")) || Files.isExecutable(Path.of("/bin/cpio")), "GNU cpio");
        FileTree tree = WriterFixtures.tree(2);
        tree.removeIf(e -> e.type() == FileEntry.Type.CHAR_DEVICE || e.type() == FileEntry.Type.BLOCK_DEVICE
                || e.type() == FileEntry.Type.FIFO); // extraction of these needs privileges, listing is checked below
        Path archive = Files.write(dir.resolve("initrd.cpio"), cpio(tree));

        String listing = run(dir, "cpio", "-itv", "--numeric-uid-gid", "-F", archive.toString());
        assertTrue(listing.contains("-rw-r-----   1 0        42"), listing);
        assertTrue(listing.contains("bin -> usr/bin"), listing);

        Path out = Files.createDirectory(dir.resolve("out"));
        run(out, "cpio", "-id", "--no-preserve-owner", "-F", archive.toString());
        Path gzip = out.resolve("usr/bin/zzz-gzip");
        assertEquals("gzip-binary", Files.readString(gzip));
        assertEquals("gzip-binary", Files.readString(out.resolve("usr/bin/gunzip")));
        assertEquals(Files.getAttribute(gzip, "unix:ino"), Files.getAttribute(out.resolve("usr/bin/gunzip"), "unix:ino"));
        assertEquals(2, Files.getAttribute(gzip, "unix:nlink"));
        assertEquals("usr/bin", Files.readSymbolicLink(out.resolve("bin")).toString());
        assertTrue(Files.isDirectory(out.resolve("usr/share/doc"), LinkOption.NOFOLLOW_LINKS));

        String devices = run(dir, "cpio", "-itv", "-F", writeFull().toString());
        assertTrue(devices.contains("crw-------") && devices.contains("5,   1"), devices);
        assertTrue(devices.contains("prw-------"), devices);
    }

    private Path writeFull() throws Exception {
        return Files.write(dir.resolve("full.cpio"), cpio(WriterFixtures.tree(3)));
    }

    private static String run(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        return output;
    }
}
