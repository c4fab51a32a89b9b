package dev.vmforge.pipeline;

import dev.vmforge.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChecksumFileTest {
    @TempDir
    Path dir;

    @Test
    void writesSha256sumsFormatBesideTheFileAndRehashesOnlyAChangedFile() throws Exception {
        Path image = dir.resolve("hello-1.0.0.qcow2");
        Path stamps = dir.resolve("vm/published");
        Files.writeString(image, "disk one", StandardCharsets.UTF_8);
        String first = ChecksumFile.write(image, stamps);
        assertEquals(Sha256.hex("disk one"), first);
        Path checksum = dir.resolve("hello-1.0.0.qcow2.sha256");
        assertEquals(first + "  hello-1.0.0.qcow2\n", Files.readString(checksum));

        // unchanged file: the recorded hash is used, not recomputed (shown by a checksum file edited behind its back)
        String planted = "0".repeat(64) + "  hello-1.0.0.qcow2\n";
        Files.writeString(checksum, planted);
        assertEquals("0".repeat(64), ChecksumFile.write(image, stamps));

        // a rewritten image (new size and time) is hashed again
        Files.writeString(image, "disk number two", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(image, FileTime.fromMillis(Files.getLastModifiedTime(image).toMillis() + 5000));
        assertEquals(Sha256.hex("disk number two"), ChecksumFile.write(image, stamps));
        assertEquals(Sha256.hex("disk number two") + "  hello-1.0.0.qcow2\n", Files.readString(checksum));

        // a damaged checksum file is rewritten
        Files.writeString(checksum, "garbage\n");
        assertEquals(Sha256.hex("disk number two"), ChecksumFile.write(image, stamps));
        assertEquals(Sha256.hex("disk number two") + "  hello-1.0.0.qcow2\n", Files.readString(checksum));
    }
}
