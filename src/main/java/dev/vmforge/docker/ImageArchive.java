package dev.vmforge.docker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vmforge.BuildException;
import dev.vmforge.registry.Blob;
import dev.vmforge.registry.BlobSource;
import dev.vmforge.registry.Descriptor;
import dev.vmforge.registry.Digest;
import dev.vmforge.registry.ImageContent;
import dev.vmforge.registry.ImageManifest;
import dev.vmforge.registry.ManifestDocument;
import dev.vmforge.registry.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an image tarball, as {@link DockerImageWriter} writes it, into what a registry push sends. The blobs are
 * not copied out: each is a region of the tarball (a tar stores files uncompressed and contiguous), hashed here so
 * that nothing unverified is sent.
 * <ul>
 * <li>docker-archive ({@code manifest.json}): pushed as a Docker v2 schema 2 manifest made from the config and
 *     the layers in their order;</li>
 * <li>OCI layout ({@code index.json}): its image manifest is pushed as it is, so its digest stays the one in the
 *     archive.</li>
 * </ul>
 */
public final class ImageArchive {
    private static final long MAX_JSON = 8L << 20;
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};

    private final Path file;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();

    private ImageArchive(Path file) {
        this.file = file;
    }

    /**
     * @throws BuildException if the file is not an image tarball, or a blob does not match its digest
     */
    public static ImageContent read(Path archive) {
        ImageArchive reader = new ImageArchive(archive);
        try (TarFile tar = new TarFile(archive)) {
            for (TarArchiveEntry entry : tar.getEntries()) {
                if (entry.isFile() && !entry.isSparse()) {
                    reader.entries.put(strip(entry.getName()), entry);
                }
            }
            if (reader.entries.containsKey("manifest.json")) {
                return reader.dockerArchive(tar);
            }
            if (reader.entries.containsKey("index.json")) {
                return reader.ociLayout(tar);
            }
            throw reader.invalid("it has neither manifest.json (docker-archive) nor index.json (OCI layout)");
        } catch (BuildException e) {
            throw e;
        } catch (RuntimeException e) { // JSON of another shape than expected
            throw reader.invalid("its JSON files are not what they should be (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new BuildException("Cannot read the image tarball " + archive + ": " + e.getMessage()
                    + "; build it again with vm:build-docker-image", e);
        }
    }

    private ImageContent dockerArchive(TarFile tar) throws IOException {
        JsonArray images = JsonParser.parseString(text(tar, "manifest.json")).getAsJsonArray();
        if (images.size() != 1) {
            throw invalid("its manifest.json describes " + images.size() + " images, not one");
        }
        JsonObject image = images.get(0).getAsJsonObject();
        String configName = image.get("Config").getAsString();
        byte[] config = bytes(tar, configName);
        Descriptor configDescriptor = new Descriptor(MediaTypes.DOCKER_CONFIG, Digest.sha256(config), config.length);
        List<Blob> blobs = new ArrayList<>(List.of(new Blob(configDescriptor, BlobSource.of(config))));
        List<Descriptor> layers = new ArrayList<>();
        for (JsonElement path : image.getAsJsonArray("Layers")) {
            TarArchiveEntry entry = entry(path.getAsString());
            BlobSource source = BlobSource.ofRegion(file, entry.getDataOffset(), entry.getSize());
            String mediaType = gzip(source) ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.DOCKER_LAYER;
            Descriptor layer = new Descriptor(mediaType, Digest.sha256(source.open(0)), entry.getSize());
            layers.add(layer);
            blobs.add(new Blob(layer, source));
        }
        int diffIds = JsonParser.parseString(new String(config, StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonObject("rootfs").getAsJsonArray("diff_ids").size();
        if (diffIds != layers.size()) {
            throw invalid("its config lists " + diffIds + " layers but manifest.json " + layers.size());
        }
        return ImageContent.of(ImageManifest.docker(configDescriptor, layers), blobs);
    }

    private ImageContent ociLayout(TarFile tar) throws IOException {
        JsonArray manifests = JsonParser.parseString(text(tar, "index.json")).getAsJsonObject()
                .getAsJsonArray("manifests");
        if (manifests == null || manifests.size() != 1) {
            throw invalid("its index.json lists " + (manifests == null ? 0 : manifests.size()) + " manifests, not one");
        }
        JsonObject descriptor = manifests.get(0).getAsJsonObject();
        String mediaType = descriptor.get("mediaType").getAsString();
        Digest digest = Digest.parse(descriptor.get("digest").getAsString());
        ManifestDocument manifest = new ManifestDocument(mediaType, verified(tar, digest,
                descriptor.get("size").getAsLong()));
        List<Blob> blobs = new ArrayList<>();
        for (Descriptor blob : manifest.imageManifest().blobs()) {
            TarArchiveEntry entry = entry(blobPath(blob.digest()));
            BlobSource source = BlobSource.ofRegion(file, entry.getDataOffset(), entry.getSize());
            if (entry.getSize() != blob.size() || !Digest.sha256(source.open(0)).equals(blob.digest())) {
                throw invalid(blobPath(blob.digest()) + " does not match its digest or size");
            }
            blobs.add(new Blob(blob, source));
        }
        return new ImageContent(manifest, blobs);
    }

    private byte[] verified(TarFile tar, Digest digest, long size) throws IOException {
        byte[] bytes = bytes(tar, blobPath(digest));
        if (bytes.length != size || !Digest.sha256(bytes).equals(digest)) {
            throw invalid(blobPath(digest) + " does not match its digest or size");
        }
        return bytes;
    }

    private static String blobPath(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    private String text(TarFile tar, String name) throws IOException {
        return new String(bytes(tar, name), StandardCharsets.UTF_8);
    }

    private byte[] bytes(TarFile tar, String name) throws IOException {
        TarArchiveEntry entry = entry(name);
        if (entry.getSize() > MAX_JSON) {
            throw invalid(name + " is larger than " + (MAX_JSON >> 20) + " MiB");
        }
        try (InputStream in = tar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    private TarArchiveEntry entry(String name) {
        TarArchiveEntry entry = entries.get(strip(name));
        if (entry == null) {
            throw invalid("it has no file " + name);
        }
        return entry;
    }

    private static boolean gzip(BlobSource source) throws IOException {
        try (InputStream in = source.open(0)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == GZIP_MAGIC[0] && head[1] == GZIP_MAGIC[1];
        }
    }

    private static String strip(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }

    private BuildException invalid(String problem) {
        return new BuildException("The image tarball " + file + " is not one vm:build-docker-image writes: " + problem
                + "; delete it and build it again");
    }
}
