package dev.vmforge.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.InvalidConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class ApplicationPartitionTest {
    static final long MIB = 1024 * 1024;

    @Test
    void sizeIsAPowerOfTwoMibAtLeastTwiceTheTarAndAtLeast16Mib() {
        assertEquals(16 * MIB, ApplicationPartitionFormat.sizeFor(10_240));
        assertEquals(16 * MIB, ApplicationPartitionFormat.sizeFor(8 * MIB));
        assertEquals(32 * MIB, ApplicationPartitionFormat.sizeFor(8 * MIB + 1));
        assertEquals(256 * MIB, ApplicationPartitionFormat.sizeFor(100 * MIB));
        // an ordinary code change (a few bytes more or less) keeps the size, hence the system image
        assertEquals(ApplicationPartitionFormat.sizeFor(3 * MIB), ApplicationPartitionFormat.sizeFor(3 * MIB + 4096));
    }

    @Test
    void theTarStartsWithTheMarkerWhichRcsReadsFromTheFirstBytes() throws IOException {
        FileTree app = new FileTree();
        app.add(FileEntry.file("opt/app/bin/demo", 0755, "#!/bin/sh\n").withMtime(1));
        app.add(FileEntry.file("opt/app/demo.jar", 0644, "jar").withMtime(1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ApplicationPartitionFormat.write(app, "abc123", 1, out);
        byte[] bytes = out.toByteArray();

        byte[] start = Arrays.copyOf(bytes, ApplicationPartitionFormat.MARKER.length() + 1);
        assertArrayEquals((ApplicationPartitionFormat.MARKER + "\0").getBytes(StandardCharsets.US_ASCII), start);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(bytes))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                names.add(e.getName());
                if (e.getName().equals(ApplicationPartitionFormat.MARKER)) {
                    assertEquals("abc123\n", new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(List.of(ApplicationPartitionFormat.MARKER, "opt/", "opt/app/", "opt/app/bin/", "opt/app/bin/demo",
                "opt/app/demo.jar"), names);
    }

    @Test
    void aPathSortingBeforeTheMarkerIsRefused() {
        FileTree app = new FileTree();
        app.add(FileEntry.file("+odd", 0644, "x"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ApplicationPartitionFormat.write(app, "k", 1, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().startsWith("<operatingSystem/application/directory>: '/+odd' sorts before"),
                e.getMessage());
    }
}
