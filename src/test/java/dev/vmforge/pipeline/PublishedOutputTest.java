package dev.vmforge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.store.DerivationKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishedOutputTest {
    @TempDir
    Path dir;

    final DerivationKey one = DerivationKey.builder("test").add("v", 1).build();
    final DerivationKey two = DerivationKey.builder("test").add("v", 2).build();

    PublishedOutput output() {
        return new PublishedOutput(dir.resolve("target/demo.qcow2"), dir.resolve("target/vm"));
    }

    @Test
    void upToDateOnlyForTheKeyItWasWrittenFor() {
        PublishedOutput out = output();
        assertFalse(out.upToDate(one));
        out.write(one, file -> Files.writeString(file, "image 1"));
        assertTrue(output().upToDate(one));
        assertFalse(output().upToDate(two));
    }

    @Test
    void aFileModifiedAfterwardsIsWrittenAgain() throws IOException {
        PublishedOutput out = output();
        out.write(one, file -> Files.writeString(file, "image 1"));
        // what booting the image without snapshot=on does: same size, new time
        Files.writeString(out.path(), "image X");
        Files.setLastModifiedTime(out.path(), FileTime.fromMillis(Files.getLastModifiedTime(out.path()).toMillis() + 5000));
        assertFalse(out.upToDate(one));
        Files.delete(out.path());
        assertFalse(out.upToDate(one));
    }

    @Test
    void aFailedWriteLeavesNeitherFileNorStamp() throws IOException {
        PublishedOutput out = output();
        out.write(one, file -> Files.writeString(file, "image 1"));
        assertThrows(UncheckedIOException.class, () -> out.write(two, file -> {
            Files.writeString(file, "half");
            throw new IOException("disk full");
        }));
        assertFalse(out.upToDate(one), "the stamp went with the failed write");
        assertFalse(out.upToDate(two));
        assertEquals("image 1", Files.readString(out.path()), "the old file is not half-replaced");
        try (var files = Files.list(out.path().getParent())) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count(), "no temporary file left");
        }
    }
}
