package dev.vmforge.docker;

import java.nio.file.Path;

/**
 * A layer written to a temporary file, with the digests the archive formats name it by.
 *
 * @param file       the layer as stored in the archive: the tar itself, or its gzip for OCI
 * @param diffId     SHA-256 hex of the uncompressed tar (the config's {@code rootfs.diff_ids})
 * @param blobDigest SHA-256 hex of {@code file} (equal to diffId when uncompressed)
 * @param blobSize   size of {@code file} in bytes
 */
record LayerBlob(Path file, String diffId, long tarSize, String blobDigest, long blobSize) {

    /** An uncompressed layer is stored as the tar itself, so both digests are the same. */
    LayerBlob withBlobDigestOfTar() {
        return new LayerBlob(file, diffId, tarSize, diffId, tarSize);
    }
}
