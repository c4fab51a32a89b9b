package dev.vmforge.registry;

import java.util.Objects;

/**
 * A manifest as bytes and the media type it is sent or was received with. The bytes are what the digest is
 * computed over, so they are kept exactly as written or downloaded, never re-serialized.
 */
public record ManifestDocument(String mediaType, byte[] bytes) {
    public ManifestDocument {
        Objects.requireNonNull(mediaType, "mediaType");
        bytes = bytes.clone();
    }

    public static ManifestDocument of(ImageManifest manifest) {
        return new ManifestDocument(manifest.mediaType(), manifest.toJson());
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public Digest digest() {
        return Digest.sha256(bytes);
    }

    /** The single-image manifest these bytes hold; throws {@link IllegalArgumentException} for an index. */
    public ImageManifest imageManifest() {
        return ImageManifest.parse(bytes, mediaType);
    }
}
