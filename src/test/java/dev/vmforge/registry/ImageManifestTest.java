package dev.vmforge.registry;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageManifestTest {
    private static final Digest A = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
    private static final Digest B = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));

    @Test
    void dockerManifestsAreWrittenAsDockerPushSendsThem() {
        ImageManifest m = ImageManifest.docker(new Descriptor(MediaTypes.DOCKER_CONFIG, A, 1),
                List.of(new Descriptor(MediaTypes.DOCKER_LAYER_GZIP, B, 1)));
        assertEquals("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + A
                + "\",\"size\":1},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
                + "\"digest\":\"" + B + "\",\"size\":1}]}", new String(m.toJson(), StandardCharsets.UTF_8));
        assertEquals(m, ImageManifest.parse(m.toJson(), null));
    }

    @Test
    void ociArtifactsCarryTheirTypeAndAnnotations() {
        ImageManifest artifact = ImageManifest.oci("application/vnd.vmforge.substitute.v1",
                new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)), 2),
                List.of(new Descriptor("application/x-tar", A, 1, Map.of("org.opencontainers.image.title", "out.tar"))),
                Map.of("dev.vmforge.key", "abc"));
        ImageManifest read = ImageManifest.parse(artifact.toJson(), MediaTypes.OCI_MANIFEST);
        assertEquals(artifact, read);
        assertEquals(artifact.digest(), read.digest());
        assertEquals(List.of(artifact.config(), artifact.layers().get(0)), read.blobs());
    }

    @Test
    void indexesAndOtherDocumentsAreNotImageManifests() {
        assertThrows(IllegalArgumentException.class, () -> ImageManifest.parse(("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_INDEX + "\",\"manifests\":[]}").getBytes(StandardCharsets.UTF_8), null));
        assertThrows(IllegalArgumentException.class, () -> ImageManifest.parse("<html>".getBytes(StandardCharsets.UTF_8),
                MediaTypes.OCI_MANIFEST));
        assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:../../etc/passwd"));
    }
}
