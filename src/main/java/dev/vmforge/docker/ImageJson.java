package dev.vmforge.docker;

import dev.vmforge.Json;
import dev.vmforge.registry.Descriptor;
import dev.vmforge.registry.Digest;
import dev.vmforge.registry.ImageManifest;
import dev.vmforge.registry.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON documents of docker-archive and OCI layouts, with fixed key order so their digests are stable. */
final class ImageJson {
    static final String OCI_MANIFEST = MediaTypes.OCI_MANIFEST;
    static final String OCI_INDEX = MediaTypes.OCI_INDEX;
    static final String OCI_CONFIG = MediaTypes.OCI_CONFIG;
    static final String OCI_LAYER_GZIP = MediaTypes.OCI_LAYER_GZIP;
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private ImageJson() {
    }

    /** The image config (OCI image-spec config.md; docker reads the same document). */
    static byte[] config(ContainerConfig c, List<Layer> layers, List<LayerBlob> blobs) {
        Map<String, Object> run = new LinkedHashMap<>();
        if (c.user() != null) {
            run.put("User", c.user());
        }
        if (!c.exposedPorts().isEmpty()) {
            Map<String, Object> ports = new TreeMap<>();
            c.exposedPorts().forEach(p -> ports.put(p, Map.of()));
            run.put("ExposedPorts", ports);
        }
        run.put("Env", c.environmentList());
        if (!c.entrypoint().isEmpty()) {
            run.put("Entrypoint", c.entrypoint());
        }
        if (!c.cmd().isEmpty()) {
            run.put("Cmd", c.cmd());
        }
        if (c.workingDir() != null) {
            run.put("WorkingDir", c.workingDir());
        }
        if (!c.labels().isEmpty()) {
            run.put("Labels", c.labels());
        }
        List<Object> history = new ArrayList<>();
        for (Layer layer : layers) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("created", c.createdText());
            h.put("created_by", layer.createdBy());
            if (layer.comment() != null) {
                h.put("comment", layer.comment());
            }
            history.add(h);
        }
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", blobs.stream().map(b -> "sha256:" + b.diffId()).toList());

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "amd64");
        config.put("created", c.createdText());
        config.put("os", "linux");
        config.put("config", run);
        config.put("rootfs", rootfs);
        config.put("history", history);
        return bytes(config);
    }

    /** docker-archive's manifest.json: what {@code docker load} and containers/image read. */
    static byte[] dockerManifest(String configName, ImageReference name, List<String> layerPaths) {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("Config", configName);
        image.put("RepoTags", List.of(name.toString()));
        image.put("Layers", layerPaths);
        return bytes(List.of(image));
    }

    static byte[] ociLayout() {
        return bytes(Map.of("imageLayoutVersion", "1.0.0"));
    }

    /** The OCI image manifest, written as a registry push writes manifests, so both give the same digest. */
    static byte[] ociManifest(String configDigest, long configSize, List<LayerBlob> blobs) {
        return ImageManifest.oci(null, new Descriptor(OCI_CONFIG, Digest.parse(configDigest), configSize),
                blobs.stream().map(b -> new Descriptor(OCI_LAYER_GZIP, new Digest("sha256", b.blobDigest()),
                        b.blobSize())).toList(), Map.of()).toJson();
    }

    static byte[] ociIndex(String manifestDigest, long manifestSize, ImageReference name) {
        Map<String, Object> manifest = descriptor(OCI_MANIFEST, manifestDigest, manifestSize);
        manifest.put("annotations", Map.of(REF_NAME, name.toString()));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        index.put("manifests", List.of(manifest));
        return bytes(index);
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static byte[] bytes(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
    }
}
