package dev.vmforge.docker;

import dev.vmforge.Sha256;
import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.DockerSpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerImageWriterTest {
    private static final Instant CREATED = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    Path dir;

    static FileTree systemTree() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("bin/busybox", 0755, "#!fake busybox\n"));
        tree.add(FileEntry.symlink("bin/sh", "busybox"));
        tree.add(new FileEntry("bin/sh.hard", FileEntry.Type.HARDLINK, 0755, 0, 0, 0, "bin/busybox", 0, 0, null));
        tree.add(new FileEntry("dev/null", FileEntry.Type.CHAR_DEVICE, 0666, 0, 0, 0, null, 1, 3, null));
        tree.add(new FileEntry("dev/sda", FileEntry.Type.BLOCK_DEVICE, 0660, 0, 6, 0, null, 8, 0, null));
        tree.add(new FileEntry("run/initctl", FileEntry.Type.FIFO, 0600, 0, 0, 0, null, 0, 0, null));
        tree.add(FileEntry.directory("tmp", 01777));
        tree.add(FileEntry.file("etc/hostname", 0644, "demo\n").withOwner(0, 0).withMtime(123456789));
        tree.add(FileEntry.file("usr/share/" + "deep/".repeat(30) + "long-name-file.txt", 0644, "x"));
        tree.add(FileEntry.file("home/app/naïve.txt", 0600, "é").withOwner(1000, 1000));
        return tree;
    }

    static FileTree appTree(String jarText) {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("opt/app/app.jar", 0644, Content.of(jarText)));
        return tree;
    }

    static DockerSpec spec(DockerSpec.Format format) {
        return new DockerSpec("registry.example.com:5000/team/hello:1.0", format, List.of("/bin/busybox", "sh"),
                List.of("8080", "53/udp"), Map.of("GREETING", "hi \"there\"\n"), Map.of("org.example.k", "v"));
    }

    WrittenImage write(DockerSpec.Format format, String jarText, String fileName) throws IOException {
        DockerSpec spec = spec(format);
        ContainerConfig config = ContainerConfig.of(spec, CREATED, List.of("/sbin/init"));
        return new DockerImageWriter().write(List.of(Layer.of("system", systemTree()),
                Layer.of("application", appTree(jarText))), config, spec, dir.resolve(fileName));
    }

    @Test
    void dockerArchiveHasManifestConfigAndLayersNamedByTheirDigests() throws IOException {
        WrittenImage image = write(DockerSpec.Format.DOCKER, "jar", "img.tar");
        TarContents archive = TarContents.read(image.file(), false);
        assertEquals(4, archive.contents.size(), "two layers, config, manifest: " + archive.contents.keySet());

        List<?> manifests = (List<?>) TestJson.parse(archive.text("manifest.json"));
        assertEquals(1, manifests.size());
        @SuppressWarnings("unchecked") Map<String, Object> manifest = (Map<String, Object>) manifests.get(0);
        assertEquals(List.of("registry.example.com:5000/team/hello:1.0"), manifest.get("RepoTags"));

        String configName = (String) manifest.get("Config");
        byte[] configBytes = archive.bytes(configName);
        assertEquals(Sha256.hex(configBytes) + ".json", configName);
        assertEquals("sha256:" + Sha256.hex(configBytes), image.configDigest());

        List<?> layerPaths = (List<?>) manifest.get("Layers");
        assertEquals(2, layerPaths.size());
        Map<String, Object> config = TestJson.object(new String(configBytes, StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked") List<Object> diffIds =
                (List<Object>) ((Map<String, Object>) config.get("rootfs")).get("diff_ids");
        for (int i = 0; i < 2; i++) {
            byte[] blob = archive.bytes((String) layerPaths.get(i));
            assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, Arrays.copyOf(blob, 10),
                    "fixed gzip header: no name, mtime 0");
            String diffId = "sha256:" + Sha256.hex(gunzip(blob));
            assertEquals(diffId, diffIds.get(i), "diff_id is the digest of the uncompressed layer tar");
            assertEquals(diffId.substring(7) + ".tar.gz", layerPaths.get(i));
            assertEquals(diffId, image.diffIds().get(i));
            assertEquals("sha256:" + Sha256.hex(blob), image.layerDigests().get(i));
        }
        assertNull(image.manifestDigest());
    }

    @Test
    @SuppressWarnings("unchecked")
    void configFollowsTheImageSpec() throws IOException {
        WrittenImage image = write(DockerSpec.Format.DOCKER, "jar", "img.tar");
        TarContents archive = TarContents.read(image.file(), false);
        Map<String, Object> config = TestJson.object(archive.text(image.configDigest().substring(7) + ".json"));
        assertEquals("amd64", config.get("architecture"));
        assertEquals("linux", config.get("os"));
        assertEquals("2024-05-01T12:00:00Z", config.get("created"));
        Map<String, Object> run = (Map<String, Object>) config.get("config");
        assertEquals(List.of("/bin/busybox", "sh"), run.get("Entrypoint"));
        assertEquals(List.of("GREETING=hi \"there\"\n", "PATH=" + ContainerConfig.DEFAULT_PATH), run.get("Env"));
        assertEquals(Map.of("53/udp", Map.of(), "8080/tcp", Map.of()), run.get("ExposedPorts"));
        assertEquals(List.of("53/udp", "8080/tcp"), List.copyOf(((Map<String, Object>) run.get("ExposedPorts")).keySet()));
        assertEquals(Map.of("org.example.k", "v"), run.get("Labels"));
        assertFalse(run.containsKey("User"), "root is the default and is left out");
        Map<String, Object> rootfs = (Map<String, Object>) config.get("rootfs");
        assertEquals("layers", rootfs.get("type"));
        List<Map<String, Object>> history = (List<Map<String, Object>>) config.get("history");
        assertEquals(2, history.size());
        assertEquals("vm-maven-plugin: system layer", history.get(0).get("created_by"));
        assertEquals("vm-maven-plugin: application layer", history.get(1).get("created_by"));
        assertEquals("2024-05-01T12:00:00Z", history.get(1).get("created"));
    }

    @Test
    void layerTarIsReproducibleTarOfTheTree() throws IOException {
        WrittenImage image = write(DockerSpec.Format.DOCKER, "jar", "img.tar");
        TarContents archive = TarContents.read(image.file(), false);
        byte[] tar = gunzip(archive.bytes(image.diffIds().get(0).substring(7) + ".tar.gz"));
        TarContents layer = TarContents.read(tar);

        List<String> expectedOrder = systemTree().entries().stream()
                .map(e -> e.isDirectory() ? e.path() + "/" : e.path()).toList();
        assertEquals(expectedOrder, List.copyOf(layer.headers.keySet()), "tree order, directories with '/'");
        long mtime = CREATED.getEpochSecond();
        for (TarArchiveEntry e : layer.headers.values()) {
            assertEquals(mtime, e.getModTime().getTime() / 1000, e.getName());
            assertEquals("", e.getUserName(), e.getName());
            assertEquals("", e.getGroupName(), e.getName());
        }
        assertEquals("#!fake busybox\n", layer.text("bin/busybox"));
        assertEquals(0755, layer.headers.get("bin/busybox").getMode());
        assertTrue(layer.headers.get("bin/sh").isSymbolicLink());
        assertEquals("busybox", layer.headers.get("bin/sh").getLinkName());
        assertTrue(layer.headers.get("bin/sh.hard").isLink());
        assertEquals("bin/busybox", layer.headers.get("bin/sh.hard").getLinkName());
        TarArchiveEntry devNull = layer.headers.get("dev/null");
        assertTrue(devNull.isCharacterDevice());
        assertEquals(1, devNull.getDevMajor());
        assertEquals(3, devNull.getDevMinor());
        assertTrue(layer.headers.get("dev/sda").isBlockDevice());
        assertEquals(6, layer.headers.get("dev/sda").getLongGroupId());
        assertTrue(layer.headers.get("run/initctl").isFIFO());
        assertEquals(01777, layer.headers.get("tmp/").getMode());
        assertEquals(1000, layer.headers.get("home/app/naïve.txt").getLongUserId());
        assertEquals("é", layer.text("home/app/naïve.txt"));
        String longName = "usr/share/" + "deep/".repeat(30) + "long-name-file.txt";
        assertTrue(longName.length() > 100);
        assertEquals("x", layer.text(longName), "long names survive through PAX headers");
        assertEquals(0, tar.length % 512);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ociArchiveHasLayoutIndexManifestAndGzipBlobs() throws IOException {
        WrittenImage image = write(DockerSpec.Format.OCI, "jar", "img-oci.tar");
        TarContents archive = TarContents.read(image.file(), false);
        assertEquals(Map.of("imageLayoutVersion", "1.0.0"), TestJson.parse(archive.text("oci-layout")));

        Map<String, Object> index = TestJson.object(archive.text("index.json"));
        assertEquals(2L, index.get("schemaVersion"));
        Map<String, Object> descriptor = ((List<Map<String, Object>>) index.get("manifests")).get(0);
        assertEquals(ImageJson.OCI_MANIFEST, descriptor.get("mediaType"));
        assertEquals(Map.of(ImageJson.REF_NAME, "registry.example.com:5000/team/hello:1.0"),
                descriptor.get("annotations"));
        String manifestDigest = (String) descriptor.get("digest");
        assertEquals(image.manifestDigest(), manifestDigest);
        byte[] manifestBytes = archive.bytes("blobs/sha256/" + manifestDigest.substring(7));
        assertEquals(manifestDigest, "sha256:" + Sha256.hex(manifestBytes));
        assertEquals((long) manifestBytes.length, descriptor.get("size"));

        Map<String, Object> manifest = TestJson.object(new String(manifestBytes, StandardCharsets.UTF_8));
        assertEquals(2L, manifest.get("schemaVersion"));
        assertEquals(ImageJson.OCI_MANIFEST, manifest.get("mediaType"));
        Map<String, Object> configDescriptor = (Map<String, Object>) manifest.get("config");
        assertEquals(ImageJson.OCI_CONFIG, configDescriptor.get("mediaType"));
        byte[] configBytes = archive.bytes("blobs/sha256/" + ((String) configDescriptor.get("digest")).substring(7));
        assertEquals(configDescriptor.get("digest"), "sha256:" + Sha256.hex(configBytes));
        assertEquals((long) configBytes.length, configDescriptor.get("size"));
        Map<String, Object> config = TestJson.object(new String(configBytes, StandardCharsets.UTF_8));
        List<Object> diffIds = (List<Object>) ((Map<String, Object>) config.get("rootfs")).get("diff_ids");

        List<Map<String, Object>> layers = (List<Map<String, Object>>) manifest.get("layers");
        assertEquals(2, layers.size());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> layer = layers.get(i);
            assertEquals(ImageJson.OCI_LAYER_GZIP, layer.get("mediaType"));
            byte[] blob = archive.bytes("blobs/sha256/" + ((String) layer.get("digest")).substring(7));
            assertEquals(layer.get("digest"), "sha256:" + Sha256.hex(blob),
                    "layer digest is of the compressed blob");
            assertEquals((long) blob.length, layer.get("size"));
            byte[] tar = gunzip(blob);
            assertEquals(diffIds.get(i), "sha256:" + Sha256.hex(tar),
                    "diff_id is of the uncompressed tar");
            assertEquals(image.layerDigests().get(i), layer.get("digest"));
        }
    }

    @Test
    void sameInputGivesByteIdenticalArchives() throws IOException {
        for (DockerSpec.Format format : DockerSpec.Format.values()) {
            WrittenImage first = write(format, "jar", "a-" + format);
            WrittenImage second = write(format, "jar", "b-" + format);
            assertEquals(sha256(first.file()), sha256(second.file()), format.name());
            assertEquals(first.configDigest(), second.configDigest());
        }
    }

    @Test
    void changingOneLayerChangesOnlyItsDigest() throws IOException {
        for (DockerSpec.Format format : DockerSpec.Format.values()) {
            WrittenImage first = write(format, "jar v1", "a-" + format);
            WrittenImage second = write(format, "jar v2", "b-" + format);
            assertEquals(first.diffIds().get(0), second.diffIds().get(0), "system layer unchanged");
            assertEquals(first.layerDigests().get(0), second.layerDigests().get(0));
            assertNotEquals(first.diffIds().get(1), second.diffIds().get(1), "application layer changed");
            assertNotEquals(first.layerDigests().get(1), second.layerDigests().get(1));
            assertNotEquals(first.configDigest(), second.configDigest());
        }
    }

    @Test
    void outputAppearsOnlyWhenCompleteAndNoTemporaryFilesRemain() throws IOException {
        FileTree broken = new FileTree();
        broken.add(FileEntry.file("lies", 0644, new Content() {
            @Override public long size() { return 10; }
            @Override public java.io.InputStream open() { return new java.io.ByteArrayInputStream(new byte[3]); }
        }));
        DockerSpec spec = spec(DockerSpec.Format.DOCKER);
        ContainerConfig config = ContainerConfig.of(spec, CREATED, List.of());
        Path output = dir.resolve("out.tar.gz");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () ->
                new DockerImageWriter().write(List.of(Layer.of("system", broken)), config, spec, output));
        assertTrue(e.getMessage().contains("lies"), e.getMessage());
        assertFalse(Files.exists(output));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void equalLayersAreStoredOnce() throws IOException {
        DockerSpec spec = spec(DockerSpec.Format.DOCKER);
        ContainerConfig config = ContainerConfig.of(spec, CREATED, List.of());
        FileTree tree = appTree("same");
        WrittenImage image = new DockerImageWriter().write(List.of(Layer.of("a", tree), Layer.of("b", tree)),
                config, spec, dir.resolve("twice.tar.gz"));
        assertEquals(image.diffIds().get(0), image.diffIds().get(1));
        TarContents archive = TarContents.read(image.file(), false);
        assertEquals(1, archive.contents.keySet().stream().filter(n -> n.endsWith(".tar.gz")).count());
    }

    private static byte[] gunzip(byte[] gzip) throws IOException {
        return new GzipCompressorInputStream(new ByteArrayInputStream(gzip)).readAllBytes();
    }

    private static String sha256(Path file) throws IOException {
        return Sha256.hex(Files.readAllBytes(file));
    }
}
