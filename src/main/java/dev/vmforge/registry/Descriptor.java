package dev.vmforge.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a manifest says about one blob (OCI image-spec descriptor.md): its media type, digest and size, and
 * optional annotations (kept in name order, so equal descriptors give equal JSON).
 */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {
    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " of " + digest);
        }
        annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, Map.of());
    }

    /** The JSON object, keys in the order docker and the OCI examples write them. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mediaType", mediaType);
        json.put("digest", digest.toString());
        json.put("size", size);
        if (!annotations.isEmpty()) {
            json.put("annotations", annotations);
        }
        return json;
    }
}
