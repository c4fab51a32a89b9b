package dev.vmforge.docker;

import dev.vmforge.Sha256;
import dev.vmforge.os.DockerSpec;

import dev.vmforge.fs.Compression;
import dev.vmforge.fs.HostFiles;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes an image of file-tree layers without a daemon, byte for byte the same for the same input.
 * Both formats are plain tars holding gzip-compressed layers (compressed in parallel, one per thread):
 * <ul>
 * <li>{@link DockerSpec.Format#DOCKER}: a docker-archive as {@code docker save} and Jib write it:
 *     {@code manifest.json}, {@code HEX.json} (the config, named by its SHA-256) and {@code DIFFID.tar.gz}
 *     per layer. Read by {@code docker load}, {@code podman load} and {@code skopeo ... docker-archive:FILE}.
 *     The archive itself is not gzipped: podman 4.3 and skopeo 1.9 (Debian 12) cannot read a
 *     compressed docker-archive, while all of them read compressed layers inside one.</li>
 * <li>{@link DockerSpec.Format#OCI}: an OCI image layout ({@code oci-layout}, {@code index.json},
 *     {@code blobs/sha256/*}), read as {@code oci-archive:FILE}.</li>
 * </ul>
 * Layers are written to temporary files beside the output first, because the archive names them by
 * their digests; the output appears by an atomic rename.
 */
public final class DockerImageWriter {
    /** Fixed forever: the compressed bytes, and so the layer digests, depend on it. */
    static final int GZIP_LEVEL = 6;

    private static final int BUFFER = 256 * 1024;

    private final LayerTarWriter tarWriter;

    public DockerImageWriter() {
        this(LayerTarWriter.standard());
    }

    public DockerImageWriter(LayerTarWriter tarWriter) {
        this.tarWriter = tarWriter;
    }

    /** Writes the image named and formatted as {@code spec} says; see {@link #write(List, ContainerConfig, ImageReference, DockerSpec.Format, Path)}. */
    public WrittenImage write(List<Layer> layers, ContainerConfig config, DockerSpec spec, Path output)
            throws IOException {
        DockerSpec.Format format = spec.format() == null ? DockerSpec.Format.DOCKER : spec.format();
        return write(layers, config, ImageReference.parse(spec.name()), format, output);
    }

    /**
     * Writes {@code layers} (lowest first) with {@code config} as an image called {@code name} to {@code output}.
     *
     * @throws IOException if a layer's content cannot be read or the output cannot be written; no partial
     *                     output is left behind
     */
    public WrittenImage write(List<Layer> layers, ContainerConfig config, ImageReference name,
                              DockerSpec.Format format, Path output) throws IOException {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an image needs at least one layer");
        }
        Path target = output.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path work = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
        try {
            List<LayerBlob> blobs = writeLayers(layers, config.created().getEpochSecond(), work);
            Path archive = work.resolve("archive");
            WrittenImage image = format == DockerSpec.Format.OCI
                    ? writeOciArchive(layers, config, name, blobs, archive)
                    : writeDockerArchive(layers, config, name, blobs, archive);
            Files.move(archive, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new WrittenImage(target, name, image.configDigest(), image.diffIds(), image.layerDigests(),
                    image.manifestDigest());
        } finally {
            HostFiles.deleteRecursively(work);
        }
    }

    /**
     * Layers are independent, so they are compressed in parallel; each one's bytes depend only on its tree.
     * Every task is waited for before returning or failing, so none writes into a deleted directory.
     */
    private List<LayerBlob> writeLayers(List<Layer> layers, long mtime, Path work) throws IOException {
        int threads = Math.min(layers.size(), Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<LayerBlob>> futures = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                Path file = work.resolve("layer-" + i);
                futures.add(pool.submit(() -> layer.written().isPresent() ? layer.written().get()
                        : writeLayer(layer, mtime, file)));
            }
            List<LayerBlob> blobs = new ArrayList<>();
            IOException failure = null;
            for (Future<LayerBlob> future : futures) {
                try {
                    blobs.add(future.get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return blobs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing layers", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Writes one layer's blob to {@code file}: one pass, the tar bytes going through the diff-ID digest, then
     * gzip, then the blob digest.
     */
    public LayerBlob writeLayer(Layer layer, long mtime, Path file) throws IOException {
        try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
            HashingOutputStream blob = new HashingOutputStream(fileOut);
            HashingOutputStream tar = new HashingOutputStream(
                    new BufferedOutputStream(Compression.gzip(blob, GZIP_LEVEL), BUFFER));
            tarWriter.write(layer.tree(), mtime, tar);
            tar.close(); // finishes the gzip stream
            return new LayerBlob(file, tar.hex(), tar.count(), blob.hex(), blob.count());
        }
    }

    private WrittenImage writeDockerArchive(List<Layer> layers, ContainerConfig config, ImageReference name,
                                            List<LayerBlob> blobs, Path archive) throws IOException {
        byte[] configJson = ImageJson.config(config, layers, blobs);
        String configHex = Sha256.hex(configJson);
        List<String> layerPaths = new ArrayList<>();
        try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(archive), BUFFER);
             OuterArchive tar = new OuterArchive(fileOut, config.created().getEpochSecond())) {
            for (LayerBlob blob : blobs) {
                String path = blob.diffId() + ".tar.gz";
                if (!layerPaths.contains(path)) { // two equal layers share one file, as in docker save
                    tar.file(path, blob.file(), blob.blobSize());
                }
                layerPaths.add(path);
            }
            tar.file(configHex + ".json", configJson);
            tar.file("manifest.json", ImageJson.dockerManifest(configHex + ".json", name, layerPaths));
        }
        return new WrittenImage(archive, name, "sha256:" + configHex, diffIds(blobs), layerDigests(blobs), null);
    }

    private WrittenImage writeOciArchive(List<Layer> layers, ContainerConfig config, ImageReference name,
                                         List<LayerBlob> blobs, Path archive) throws IOException {
        byte[] configJson = ImageJson.config(config, layers, blobs);
        String configDigest = "sha256:" + Sha256.hex(configJson);
        byte[] manifest = ImageJson.ociManifest(configDigest, configJson.length, blobs);
        String manifestDigest = "sha256:" + Sha256.hex(manifest);
        try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(archive), BUFFER);
             OuterArchive tar = new OuterArchive(fileOut, config.created().getEpochSecond())) {
            tar.file("oci-layout", ImageJson.ociLayout());
            tar.file("index.json", ImageJson.ociIndex(manifestDigest, manifest.length, name));
            tar.directory("blobs");
            tar.directory("blobs/sha256");
            List<String> written = new ArrayList<>();
            for (LayerBlob blob : blobs) {
                if (!written.contains(blob.blobDigest())) {
                    tar.file("blobs/sha256/" + blob.blobDigest(), blob.file(), blob.blobSize());
                    written.add(blob.blobDigest());
                }
            }
            tar.file("blobs/sha256/" + hex(configDigest), configJson);
            tar.file("blobs/sha256/" + hex(manifestDigest), manifest);
        }
        return new WrittenImage(archive, name, configDigest, diffIds(blobs), layerDigests(blobs), manifestDigest);
    }

    private static List<String> diffIds(List<LayerBlob> blobs) {
        return blobs.stream().map(b -> "sha256:" + b.diffId()).toList();
    }

    private static List<String> layerDigests(List<LayerBlob> blobs) {
        return blobs.stream().map(b -> "sha256:" + b.blobDigest()).toList();
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }
}
