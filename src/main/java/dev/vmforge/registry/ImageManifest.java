package dev.vmforge.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.vmforge.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A single-image manifest: Docker's v2 schema 2 or OCI's image manifest, which also carries OCI artifacts
 * ({@code artifactType}, annotations). {@link #toJson()} gives the same bytes for the same manifest, so its
 * digest is stable.
 *
 * @param artifactType an OCI artifact's type, or null for an image
 */
public record ImageManifest(String mediaType, String artifactType, Descriptor config, List<Descriptor> layers,
                            Map<String, String> annotations) {
    public ImageManifest {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(layers);
        annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
        if (mediaType.equals(MediaTypes.DOCKER_MANIFEST) && (artifactType != null || !annotations.isEmpty())) {
            throw new IllegalArgumentException("a Docker v2 schema 2 manifest has no artifactType or annotations");
        }
    }

    /** A Docker v2 schema 2 image: what {@code docker push} sends. */
    public static ImageManifest docker(Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(MediaTypes.DOCKER_MANIFEST, null, config, layers, Map.of());
    }

    /** An OCI image or, with an {@code artifactType}, an OCI artifact. */
    public static ImageManifest oci(String artifactType, Descriptor config, List<Descriptor> layers,
                                    Map<String, String> annotations) {
        return new ImageManifest(MediaTypes.OCI_MANIFEST, artifactType, config, layers, annotations);
    }

    /** The config and then the layers, each digest once: what must be in the repository before the manifest. */
    public List<Descriptor> blobs() {
        Map<Digest, Descriptor> distinct = new LinkedHashMap<>();
        distinct.put(config.digest(), config);
        layers.forEach(l -> distinct.putIfAbsent(l.digest(), l));
        return List.copyOf(distinct.values());
    }

    public byte[] toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schemaVersion", 2);
        json.put("mediaType", mediaType);
        if (artifactType != null) {
            json.put("artifactType", artifactType);
        }
        json.put("config", config.toJson());
        json.put("layers", layers.stream().map(Descriptor::toJson).toList());
        if (!annotations.isEmpty()) {
            json.put("annotations", annotations);
        }
        return Json.write(json).getBytes(StandardCharsets.UTF_8);
    }

    public Digest digest() {
        return Digest.sha256(toJson());
    }

    /**
     * Reads a Docker v2 schema 2 or OCI image manifest. {@code mediaType} is the Content-Type it came with, used
     * when the document does not name its own (OCI allows that).
     *
     * @throws IllegalArgumentException if it is not one (an index, schema 1, or not JSON)
     */
    public static ImageManifest parse(byte[] bytes, String mediaType) {
        try {
            JsonObject json = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
            String type = json.has("mediaType") ? json.get("mediaType").getAsString() : mediaType;
            if (!MediaTypes.DOCKER_MANIFEST.equals(type) && !MediaTypes.OCI_MANIFEST.equals(type)) {
                throw new IllegalArgumentException("not a single-image manifest but " + type);
            }
            if (!json.has("schemaVersion") || json.get("schemaVersion").getAsInt() != 2) {
                throw new IllegalArgumentException("schemaVersion is not 2");
            }
            List<Descriptor> layers = new ArrayList<>();
            for (JsonElement layer : json.getAsJsonArray("layers")) {
                layers.add(descriptor(layer.getAsJsonObject()));
            }
            String artifactType = json.has("artifactType") ? json.get("artifactType").getAsString() : null;
            return new ImageManifest(type, artifactType, descriptor(json.getAsJsonObject("config")), layers,
                    strings(json.getAsJsonObject("annotations")));
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("not a valid image manifest: " + e.getMessage(), e);
        }
    }

    static Descriptor descriptor(JsonObject json) {
        return new Descriptor(json.get("mediaType").getAsString(), Digest.parse(json.get("digest").getAsString()),
                json.get("size").getAsLong(), strings(json.getAsJsonObject("annotations")));
    }

    private static Map<String, String> strings(JsonObject json) {
        Map<String, String> map = new TreeMap<>();
        if (json != null) {
            json.entrySet().forEach(e -> map.put(e.getKey(), e.getValue().getAsString()));
        }
        return map;
    }
}
