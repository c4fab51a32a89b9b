package dev.vmforge.registry;

import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.docker.WrittenImage;
import dev.vmforge.docker.DockerImageWriter;
import dev.vmforge.docker.Layer;
import dev.vmforge.docker.ContainerConfig;
import dev.vmforge.docker.ImageArchive;
import dev.vmforge.it.TestRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against Debian's docker-registry, the distribution spec's reference implementation, on
 * 127.0.0.1:18441 with htpasswd authentication: chunked uploads, skipping, mounting, pulling back verified, a
 * wrong password and a connection cut in the middle of an upload. What happened is read from the registry's
 * own access log. Needs {@code apt-get install docker-registry}; run by failsafe ({@code -Dvm.test.live=true}).
 */
@EnabledIfSystemProperty(named = "vm.test.live", matches = "true")
class ReferenceRegistryLiveTest {
    private static final int PORT = 18441;
    private static final String PASSWORD = "live-Test-pa55";

    @TempDir
    static Path dir;
    private static TestRegistry registry;
    private final RecordingLog log = new RecordingLog();

    @BeforeAll
    static void start() throws Exception {
        registry = TestRegistry.start(dir.resolve("registry"), PORT, Map.of("alice", PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private RegistryClient client(String address, String password) {
        return RegistryClient.connect(address, r -> Optional.of(Credentials.password("alice", password, "the test")),
                RegistryOptions.defaults(log).withRetries(3, Duration.ofMillis(200)));
    }

    @Test
    void pushSkipMountAndPullBack() throws Exception {
        // a 40 MiB layer: two PATCH chunks of 32 MiB at most
        ImageContent image = TestImages.image(100, 1000, 40 << 20);
        ImagePusher pusher = new ImagePusher(BlobLocations.in(dir.resolve("locations")), log);
        RegistryClient client = client(registry.address(), PASSWORD);

        long mark = registry.mark();
        PushResult first = pusher.push(client.push("live/app"), image, List.of("1.0", "latest"));
        List<String> firstRequests = registry.requestsSince(mark);
        assertEquals(3, first.uploaded());
        assertEquals(2, firstRequests.stream().filter(r -> r.startsWith("PATCH ") && r.endsWith(" 202")).count(),
                firstRequests.toString());
        assertTrue(firstRequests.contains("PUT /v2/live/app/manifests/latest 201"), firstRequests.toString());

        mark = registry.mark();
        PushResult again = pusher.push(client.push("live/app"), image, List.of("1.0"));
        assertEquals(List.of(), TestRegistry.uploads(registry.requestsSince(mark)), "pushing again uploads nothing");
        assertEquals(3, again.existing());

        mark = registry.mark();
        PushResult other = pusher.push(client.push("live/other"), image, List.of("2.0"));
        List<String> otherRequests = registry.requestsSince(mark);
        assertEquals(List.of(), TestRegistry.uploads(otherRequests), otherRequests.toString());
        assertEquals(3, TestRegistry.mounts(otherRequests).size(), otherRequests.toString());
        assertEquals(3, other.mounted());
        assertEquals(first.digest(), other.digest());

        RepositoryClient pull = client.pull("live/other");
        ManifestDocument manifest = pull.manifest("2.0").orElseThrow();
        assertArrayEquals(image.manifest().bytes(), manifest.bytes());
        for (Descriptor blob : manifest.imageManifest().blobs()) {
            Path file = dir.resolve("pulled-" + blob.digest().hex());
            pull.downloadBlob(blob, file);
            assertEquals(blob.size(), Files.size(file));
            assertEquals(blob.digest(), Digest.sha256(Files.newInputStream(file)));
        }
    }

    @Test
    void aWrongPasswordIsRefusedBeforeAnything() throws Exception {
        long mark = registry.mark();
        RegistryException e = assertThrows(RegistryException.class, () -> client(registry.address(), "wrong"));
        assertTrue(e.getMessage().startsWith("Registry " + registry.address() + " refused the credentials of user"
                + " 'alice' (from the test)"), e.getMessage());
        assertEquals(List.of("GET /v2/ 401", "GET /v2/ 401"), registry.requestsSince(mark));
    }

    /**
     * The cut comes in the second chunk. The reference registry then forgets the session (it answers the status
     * request with 404), so the client starts the upload again.
     */
    @Test
    void aConnectionCutInTheMiddleOfAnUploadIsRetried() throws Exception {
        ImageContent image = TestImages.image(102, 40 << 20);
        try (CuttingProxy proxy = new CuttingProxy(PORT, 4 << 20, 1, 1)) {
            PushResult pushed = new ImagePusher(BlobLocations.none(), log).push(client(proxy.address(), PASSWORD)
                    .push("live/cut"), image, List.of("1.0"));
            assertEquals(1, proxy.cutsMade());
            assertEquals(image.manifest().digest(), pushed.digest());
        }
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("trying again")), log.text());
        RepositoryClient pull = client(registry.address(), PASSWORD).pull("live/cut");
        Descriptor layer = image.manifest().imageManifest().layers().get(0);
        assertEquals(Optional.of(layer.size()), pull.blobSize(layer.digest()));
    }

    @Test
    void anOciTarballIsPushedWithItsOwnManifest() throws Exception {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("etc/motd", 0644, "pushed as OCI\n"));
        DockerSpec spec = new DockerSpec(registry.address() + "/live/oci:1.0",
                DockerSpec.Format.OCI, List.of("/bin/true"), List.of(), Map.of(), Map.of());
        WrittenImage written = new DockerImageWriter().write(
                List.of(Layer.of("system", tree)), ContainerConfig.of(spec,
                        ContainerConfig.DEFAULT_CREATED, List.of()), spec, dir.resolve("oci.tar"));
        PushResult pushed = new ImagePusher(BlobLocations.none(), log).push(client(registry.address(), PASSWORD)
                .push("live/oci"), ImageArchive.read(written.file()), List.of("1.0"));
        assertEquals(written.manifestDigest(), pushed.digest().toString(), "the archive's manifest, as it is");
        ManifestDocument manifest = client(registry.address(), PASSWORD).pull("live/oci").manifest("1.0").orElseThrow();
        assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
        assertEquals(written.configDigest(), manifest.imageManifest().config().digest().toString());
    }
}
