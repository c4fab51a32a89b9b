package dev.vmforge.registry;

import java.util.Objects;

/** A blob to push: what the manifest says about it and where its bytes are. */
public record Blob(Descriptor descriptor, BlobSource source) {
    public Blob {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(source, "source");
    }

    public static Blob of(String mediaType, byte[] bytes) {
        return new Blob(new Descriptor(mediaType, Digest.sha256(bytes), bytes.length), BlobSource.of(bytes));
    }

    public Digest digest() {
        return descriptor.digest();
    }

    public long size() {
        return descriptor.size();
    }
}
