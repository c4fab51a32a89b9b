package dev.vmforge.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest and the blobs it names, ready to push: an image (config and layers) or an OCI artifact.
 * Every blob the manifest names must be given, with the manifest's size for it.
 */
public record ImageContent(ManifestDocument manifest, List<Blob> blobs) {
    public ImageContent {
        Map<Digest, Blob> byDigest = new LinkedHashMap<>();
        blobs.forEach(b -> byDigest.putIfAbsent(b.digest(), b));
        for (Descriptor named : manifest.imageManifest().blobs()) {
            Blob blob = byDigest.get(named.digest());
            if (blob == null || blob.size() != named.size()) {
                throw new IllegalArgumentException("the manifest names " + named.digest() + " (" + named.size()
                        + " bytes), which is not among the blobs given");
            }
        }
        blobs = List.copyOf(byDigest.values());
    }

    /** An image made of {@code manifest} and these blobs. */
    public static ImageContent of(ImageManifest manifest, List<Blob> blobs) {
        return new ImageContent(ManifestDocument.of(manifest), blobs);
    }
}
