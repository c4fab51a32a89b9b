package dev.vmforge.docker;

import java.nio.file.Path;

/**
 * A layer as the archive formats hold it: the gzip of its tar, with the digests they name it by.
 *
 * @param file       the gzip of the layer's tar
 * @param diffId     SHA-256 hex of the uncompressed tar (the config's {@code rootfs.diff_ids})
 * @param tarSize    size of the uncompressed tar in bytes
 * @param blobDigest SHA-256 hex of {@code file}
 * @param blobSize   size of {@code file} in bytes
 */
public record LayerBlob(Path file, String diffId, long tarSize, String blobDigest, long blobSize) {
}
