package dev.vmforge.docker;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link DockerImageWriter} wrote, digests as {@code sha256:HEX}.
 *
 * @param configDigest   the image ID that docker and podman show
 * @param diffIds        per layer, digest of the uncompressed tar
 * @param layerDigests   per layer, digest of the blob as stored (the gzip of the tar)
 * @param manifestDigest the OCI manifest's digest, or null for docker-archive (which has no manifest blob)
 */
public record WrittenImage(Path file, ImageReference name, String configDigest, List<String> diffIds,
                           List<String> layerDigests, String manifestDigest) {
    public WrittenImage {
        diffIds = List.copyOf(diffIds);
        layerDigests = List.copyOf(layerDigests);
    }
}
