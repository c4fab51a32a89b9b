package dev.vmforge.docker;

import java.nio.file.Path;

/**
 * A layer written to a temporary file, with the digests the archive formats name it by.
 *
 * @param file       the layer as stored in the archive: the gzip of its tar
 * @param diffId     SHA-256 hex of the uncompressed tar (the config's {@code rootfs.diff_ids})
 * @param blobDigest SHA-256 hex of {@code file}
 * @param blobSize   size of {@code file} in bytes
 */
record LayerBlob(Path file, String diffId, long tarSize, String blobDigest, long blobSize) {
}
