package dev.vmforge.docker;

import dev.vmforge.BuildException;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.registry.Blob;
import dev.vmforge.registry.Digest;
import dev.vmforge.registry.ImageContent;
import dev.vmforge.registry.ImageManifest;
import dev.vmforge.registry.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tarball read back as a push sends it: the same config, layers and (for OCI) manifest digests. */
class ImageArchiveTest {
    @TempDir
    Path dir;

    private WrittenImage write(DockerSpec.Format format) throws IOException {
        DockerImageWriterTest writer = new DockerImageWriterTest();
        writer.dir = dir;
        return writer.write(format, "jar v1", "image-" + format + ".tar");
    }

    @Test
    void aDockerArchiveIsPushedAsDockerV2Schema2WithTheTarballsConfigAndLayers() throws IOException {
        WrittenImage written = write(DockerSpec.Format.DOCKER);
        ImageContent content = ImageArchive.read(written.file());
        ImageManifest manifest = content.manifest().imageManifest();
        assertEquals(MediaTypes.DOCKER_MANIFEST, manifest.mediaType());
        assertEquals(written.configDigest(), manifest.config().digest().toString());
        assertEquals(MediaTypes.DOCKER_CONFIG, manifest.config().mediaType());
        assertEquals(written.layerDigests(), manifest.layers().stream().map(l -> l.digest().toString()).toList());
        assertTrue(manifest.layers().stream().allMatch(l -> l.mediaType().equals(MediaTypes.DOCKER_LAYER_GZIP)));
        for (Blob blob : content.blobs()) {
            assertEquals(blob.digest(), Digest.sha256(blob.source().open(0)), "each blob reads back as its digest");
            assertEquals(blob.size(), blob.source().open(0).readAllBytes().length);
        }
        assertEquals(3, content.blobs().size());
    }

    @Test
    void anOciArchiveIsPushedWithItsOwnManifest() throws IOException {
        WrittenImage written = write(DockerSpec.Format.OCI);
        ImageContent content = ImageArchive.read(written.file());
        assertEquals(MediaTypes.OCI_MANIFEST, content.manifest().mediaType());
        assertEquals(written.manifestDigest(), content.manifest().digest().toString());
        assertEquals(written.configDigest(), content.manifest().imageManifest().config().digest().toString());
    }

    @Test
    void aDamagedTarballIsRefused() throws IOException {
        WrittenImage written = write(DockerSpec.Format.OCI);
        ImageContent content = ImageArchive.read(written.file());
        Blob layer = content.blobs().get(1);
        // flip a byte inside a layer: its blob no longer matches the digest the manifest names
        byte[] bytes = Files.readAllBytes(written.file());
        byte[] layerBytes = layer.source().open(0).readAllBytes();
        int at = indexOf(bytes, layerBytes) + layerBytes.length / 2;
        try (var channel = Files.newByteChannel(written.file(), StandardOpenOption.WRITE)) {
            channel.position(at);
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (bytes[at] ^ 1)}));
        }
        BuildException e = assertThrows(BuildException.class, () -> ImageArchive.read(written.file()));
        assertTrue(e.getMessage().contains("does not match its digest"), e.getMessage());

        Path notAnImage = dir.resolve("empty.tar");
        Files.write(notAnImage, new byte[1024]);
        BuildException none = assertThrows(BuildException.class, () -> ImageArchive.read(notAnImage));
        assertTrue(none.getMessage().contains("neither manifest.json"), none.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
