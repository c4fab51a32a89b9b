package dev.vmforge.vm;

import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-run initramfs: the exchange folder as a cpio archive, then the builder's own initramfs. */
class ExchangeInitrdTest {
    @TempDir
    Path temp;

    @Test
    void folderComesFirstUnderXchgAndTheBuilderInitrdFollowsAligned() throws IOException {
        Path folder = Files.createDirectory(temp.resolve("step.xchg"));
        Files.writeString(folder.resolve("build.sh"), "echo hi\n");
        Files.createDirectories(folder.resolve("conf"));
        Files.writeString(folder.resolve("conf/a.txt"), "AAA");
        byte[] builder = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 1, 2, 3}; // a zstd magic, as the cached initrd has
        Path builderInitrd = Files.write(temp.resolve("initrd.img"), builder);

        Path written = ExchangeInitrd.write(folder, builderInitrd, temp.resolve("run.initrd"));

        byte[] bytes = Files.readAllBytes(written);
        int builderStart = bytes.length - builder.length;
        assertEquals(0, builderStart % 512, "the next archive starts on a 512-byte boundary");
        assertArrayEquals(builder, Arrays.copyOfRange(bytes, builderStart, bytes.length));
        List<String> names = new ArrayList<>();
        String script = null;
        try (CpioArchiveInputStream cpio = new CpioArchiveInputStream(
                new ByteArrayInputStream(Arrays.copyOf(bytes, builderStart)))) {
            CpioArchiveEntry entry;
            while ((entry = cpio.getNextEntry()) != null) {
                names.add(entry.getName() + (entry.isDirectory() ? "/" : ""));
                if (entry.getName().equals("xchg/build.sh")) {
                    script = new String(cpio.readAllBytes(), StandardCharsets.UTF_8);
                    assertEquals(0644, entry.getMode() & 07777);
                }
            }
        }
        assertEquals(List.of("xchg/", "xchg/build.sh", "xchg/conf/", "xchg/conf/a.txt"), names);
        assertEquals("echo hi\n", script);
    }
}
