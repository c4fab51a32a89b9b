package dev.vmforge.substitute;

import dev.vmforge.registry.Descriptor;
import dev.vmforge.registry.ImageManifest;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.EntryFile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubstituteArtifactTest {
    private static final DerivationKey KEY = new DerivationKey("1".repeat(64));
    private static final DerivationKey OTHER = new DerivationKey("2".repeat(64));
    private static final List<EntryFile> FILES = List.of(new EntryFile("disk.qcow2", 3, "a".repeat(64)),
            new EntryFile("boot/vmlinuz", 4, "b".repeat(64)));

    @Test
    void anEntryReadsBackAsItsFilesWithTheirPaths() throws Exception {
        ImageManifest manifest = ImageManifest.parse(SubstituteArtifact.entry(KEY, "system-image", "1.0", FILES)
                .toJson(), null);
        List<Descriptor> files = SubstituteArtifact.files(manifest, KEY, "system-image");
        assertEquals(List.of("disk.qcow2", "boot/vmlinuz"),
                files.stream().map(f -> f.annotations().get(SubstituteArtifact.TITLE)).toList());
        assertEquals("application/vnd.vmforge.store-entry.v1", manifest.artifactType());
        assertEquals(Map.of(SubstituteArtifact.KEY, KEY.hex(), SubstituteArtifact.DERIVATION, "system-image",
                SubstituteArtifact.PLUGIN_VERSION, "1.0"), manifest.annotations());
    }

    @Test
    void aSignedEntryOfAnotherKeyOrDerivationIsRefused() {
        ImageManifest other = SubstituteArtifact.entry(OTHER, "system-image", "1.0", FILES);
        TrustedKeys.Refused e = assertThrows(TrustedKeys.Refused.class,
                () -> SubstituteArtifact.files(other, KEY, "system-image"));
        assertTrue(e.getMessage().contains("not this derivation"), e.getMessage());
        assertThrows(TrustedKeys.Refused.class, () -> SubstituteArtifact.files(
                SubstituteArtifact.entry(KEY, "configured", "1.0", FILES), KEY, "system-image"));
    }

    @Test
    void aPathThatLeavesTheEntryIsRefused() {
        for (String path : List.of("../x", "a/../../x", "/etc/passwd", "a/./b", "")) {
            ImageManifest manifest = SubstituteArtifact.entry(KEY, "rootfs", "1.0",
                    List.of(new EntryFile(path, 1, "c".repeat(64))));
            assertThrows(TrustedKeys.Refused.class, () -> SubstituteArtifact.files(manifest, KEY, "rootfs"), path);
        }
    }
}
