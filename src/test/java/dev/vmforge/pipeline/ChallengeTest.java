package dev.vmforge.pipeline;

import dev.vmforge.store.EntryFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChallengeTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void reportsEveryFileThatDiffersOrIsOnOneSideOnly() {
        List<String> differences = Challenge.compare(
                List.of(new EntryFile("disk.qcow2", 10, A), new EntryFile("image.properties", 5, A),
                        new EntryFile("local-only", 1, A)),
                Map.of("disk.qcow2", B, "image.properties", A, "remote-only", A));
        assertEquals(List.of("disk.qcow2 differs: local sha256:" + A + ", registry sha256:" + B,
                "local-only is only in the local build", "remote-only is only in the registry's"), differences);
    }

    @Test
    void theSameFilesAreNoMismatch() {
        assertEquals(List.of(), Challenge.compare(List.of(new EntryFile("x/y", 3, A)), Map.of("x/y", A)));
    }
}
