package dev.vmforge.vm;

import dev.vmforge.BuildException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the exchange folder back from the disk the guest wrote. */
class ExchangeDiskTest {
    @TempDir
    Path temp;

    private Path disk(String... namesAndTexts) throws IOException {
        Path disk = temp.resolve("xchg-out.raw");
        ExchangeDisk.create(disk, 1L << 20);
        try (OutputStream out = Files.newOutputStream(disk, StandardOpenOption.WRITE);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
            for (int i = 0; i < namesAndTexts.length; i += 2) {
                String name = namesAndTexts[i];
                String text = namesAndTexts[i + 1];
                TarArchiveEntry entry;
                if (text.startsWith("->")) {
                    entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(text.substring(2));
                } else {
                    entry = new TarArchiveEntry(name, true);
                }
                byte[] bytes = text.startsWith("->") || name.endsWith("/") ? new byte[0]
                        : text.getBytes(StandardCharsets.UTF_8);
                entry.setSize(bytes.length);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
        return disk;
    }

    @Test
    void blankDiskHoldsNoArchive() throws IOException {
        Path disk = temp.resolve("blank.raw");
        ExchangeDisk.create(disk, 64L << 20);
        assertEquals(64L << 20, Files.size(disk));
        Path folder = Files.createDirectory(temp.resolve("xchg"));

        assertFalse(ExchangeDisk.unpack(disk, folder).archiveFound());
    }

    @Test
    void unpacksTheFolderAndTheInitsExitStatus() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("xchg"));
        Path disk = disk("xchg/", "", "xchg/build.log", "log text", "xchg/sub/", "", "xchg/sub/out.txt", "out",
                "xchg/.exit-status", "0", ".exit-status", "7");

        ExchangeDisk.Unpacked unpacked = ExchangeDisk.unpack(disk, folder);

        assertTrue(unpacked.archiveFound());
        assertEquals("log text", Files.readString(folder.resolve("build.log")));
        assertEquals("out", Files.readString(folder.resolve("sub/out.txt")));
        assertEquals("7", Files.readString(folder.resolve(".exit-status")), "only the init's status counts");
    }

    @Test
    void linksAreSkippedAndNamed() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("xchg"));
        Path disk = disk("xchg/passwd", "->/etc/passwd", "xchg/ok.txt", "ok");

        ExchangeDisk.Unpacked unpacked = ExchangeDisk.unpack(disk, folder);

        assertEquals(java.util.List.of("xchg/passwd"), unpacked.skipped());
        assertFalse(Files.exists(folder.resolve("passwd"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("ok", Files.readString(folder.resolve("ok.txt")));
    }

    @Test
    void namesThatLeaveTheFolderAreRefused() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("xchg"));
        for (String name : new String[] {"xchg/../../evil", "/etc/evil", "other/file", "xchg/a/../../../b"}) {
            Path disk = disk(name, "evil");
            BuildException failure = assertThrows(BuildException.class, () -> ExchangeDisk.unpack(disk, folder), name);
            assertTrue(failure.getMessage().contains("refusing to unpack") && failure.getMessage().contains(name),
                    failure.getMessage());
        }
        assertFalse(Files.exists(temp.resolve("evil")));
    }

    @Test
    void truncatedArchiveIsReportedAsDamaged() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("xchg"));
        Path whole = disk("xchg/big.bin", "x".repeat(5000));
        Path cut = temp.resolve("cut.raw");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(cut, java.util.Arrays.copyOf(bytes, 2048));

        BuildException failure = assertThrows(BuildException.class, () -> ExchangeDisk.unpack(cut, folder));
        assertTrue(failure.getMessage().contains("is damaged"), failure.getMessage());
    }
}
