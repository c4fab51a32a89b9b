package dev.vmforge.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarWriterTest {
    @TempDir
    Path dir;

    static byte[] tar(FileTree tree, TarWriter writer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(tree, out);
        return out.toByteArray();
    }

    @Test
    void sameTreeGivesSameBytesWhateverTheInsertionOrder() throws Exception {
        TarWriter writer = new TarWriter(OutputTimestamp.parse("2026-11-23T00:00:00Z"));
        byte[] first = tar(WriterFixtures.tree(1), writer);
        assertArrayEquals(first, tar(WriterFixtures.tree(1), writer));
        assertArrayEquals(first, tar(WriterFixtures.tree(99), writer));
        assertEquals(0, first.length % 512);
    }

    @Test
    void readBackEntriesKeepTypesOwnersAndTheFixedMtime() throws Exception {
        long mtime = 1_790_000_000L;
        byte[] bytes = tar(WriterFixtures.tree(7), new TarWriter(mtime));
        List<String> seen = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes), "UTF-8")) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertEquals(mtime, e.getLastModifiedTime().toMillis() / 1000, e.getName());
                assertEquals("", e.getUserName());
                seen.add(e.getName() + " " + (char) e.getLinkFlag() + " " + Integer.toOctalString(e.getMode())
                        + " " + e.getLongUserId() + "/" + e.getLongGroupId()
                        + (e.getLinkName().isEmpty() ? "" : " -> " + e.getLinkName())
                        + (e.getLinkFlag() == (byte) '0' ? " " + new String(in.readAllBytes(), StandardCharsets.UTF_8).strip() : "")
                        + (e.isCharacterDevice() || e.isBlockDevice() ? " " + e.getDevMajor() + "," + e.getDevMinor() : ""));
            }
        }
        assertTrue(seen.contains("bin 2 777 0/0 -> usr/bin"), seen.toString());
        assertTrue(seen.contains("etc/ 5 755 0/0"), seen.toString());
        assertTrue(seen.contains("etc/shadow 0 640 0/42 root:*:1::::::"), seen.toString());
        assertTrue(seen.contains("dev/console 3 600 0/5 5,1"), seen.toString());
        assertTrue(seen.contains("dev/sda 4 660 0/6 8,0"), seen.toString());
        assertTrue(seen.contains("run/initctl 6 600 0/0"), seen.toString());
        // gunzip sorts before zzz-gzip, so it carries the content and the file becomes the link
        assertTrue(seen.contains("usr/bin/gunzip 0 755 0/0 gzip-binary"), seen.toString());
        assertTrue(seen.contains("usr/bin/zzz-gzip 1 755 0/0 -> usr/bin/gunzip"), seen.toString());
        assertTrue(seen.contains("usr/lib/long-link 2 777 0/0 -> /" + "x".repeat(150)), "pax linkpath");
        assertTrue(seen.stream().anyMatch(s -> s.startsWith("usr/share/doc/" + "a-very-long-directory-name-".repeat(5)
                + "/copyright 0 644")), "pax path");
    }

    @Test
    void prefixAddsTheRootEntry() throws Exception {
        byte[] bytes = tar(WriterFixtures.tree(3), new TarWriter(1).withPrefix("./"));
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
            assertEquals("./", in.getNextEntry().getName());
            assertEquals("./bin", in.getNextEntry().getName());
        }
    }

    @Test
    void gnuTarListsTheArchive() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tar")) || Files.isExecutable(Path.of("/bin/tar")), "GNU tar");
        Path file = dir.resolve("root.tar");
        Files.write(file, tar(WriterFixtures.tree(5), new TarWriter(OutputTimestamp.parse("2026-11-23T00:00:00Z"))));
        Process p = new ProcessBuilder("tar", "--numeric-owner", "-tvf", file.toString())
                .redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), listing);
        assertTrue(listing.contains("-rw-r----- 0/42"), listing);
        assertTrue(listing.contains("2026-11-23"), listing);
        assertTrue(listing.contains("crw------- 0/5") && listing.contains("5,1"), listing);
        assertTrue(listing.contains("usr/bin/zzz-gzip link to usr/bin/gunzip"), listing);
        assertTrue(listing.contains("usr/lib/long-link -> /" + "x".repeat(150)), listing);
        assertTrue(listing.contains("a-very-long-directory-name-".repeat(5) + "/copyright"), listing);
        assertEquals(WriterFixtures.tree(5).size(), listing.strip().split("\n").length, listing);
    }

    @Test
    void outputTimestampAcceptsIsoDatesSecondsAndNothing() {
        assertEquals(1_795_392_000L, OutputTimestamp.parse("2026-11-23T00:00:00Z"));
        assertEquals(42L, OutputTimestamp.parse("42"));
        assertEquals(OutputTimestamp.DEFAULT, OutputTimestamp.parse(null));
        assertEquals(OutputTimestamp.DEFAULT, OutputTimestamp.parse("a"));
    }
}
