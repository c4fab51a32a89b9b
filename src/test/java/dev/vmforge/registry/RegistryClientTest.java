package dev.vmforge.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry client against {@link FakeRegistry}: the push and pull flows, both authentications, failures. */
class RegistryClientTest {
    private static final String PASSWORD = "s3cret-Pa55";

    @TempDir
    Path dir;
    private final RecordingLog log = new RecordingLog();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    private FakeRegistry registry(FakeRegistry.Auth auth) throws IOException {
        FakeRegistry registry = new FakeRegistry(auth);
        servers.add(registry);
        return registry;
    }

    private RegistryOptions options() {
        return RegistryOptions.defaults(log).withRetries(3, Duration.ofMillis(10)).withChunkSize(64 * 1024);
    }

    private static CredentialSource alice(String password) {
        return registry -> Optional.of(Credentials.password("alice", password, "test settings"));
    }

    private ImagePusher pusher() {
        return new ImagePusher(BlobLocations.in(dir.resolve("locations")), log);
    }

    /** Requests that start, fill or complete a blob upload. */
    private static List<String> uploadsIn(List<String> requests) {
        return requests.stream().filter(r -> r.contains("/blobs/uploads/") && !r.contains("mount=")).toList();
    }

    /** Requests that send a blob's content. */
    private static List<String> contentSentIn(List<String> requests) {
        return requests.stream().filter(r -> r.contains("/blobs/uploads/") && !r.startsWith("POST")).toList();
    }

    @Test
    void pushSkipsWhatTheRepositoryHasAndMountsWhatAnotherRepositoryHas() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.BASIC).user("alice", PASSWORD);
        RegistryClient client = RegistryClient.connect(registry.address(), alice(PASSWORD), options());
        ImageContent image = TestImages.image(1, 1000, 200_000);

        PushResult first = pusher().push(client.push("team/app"), image, List.of("1.0", "latest"));
        assertEquals(image.manifest().digest(), first.digest());
        assertEquals(3, first.uploaded());
        assertArrayEquals(image.manifest().bytes(), registry.manifest("team/app", "1.0"));
        assertArrayEquals(image.manifest().bytes(), registry.manifest("team/app", "latest"));
        assertTrue(registry.requests().stream().filter(r -> r.startsWith("PATCH")).count() >= 4,
                "the 200000-byte layer goes in 64 KiB chunks: " + registry.requests());

        int before = registry.requests().size();
        PushResult again = pusher().push(client.push("team/app"), image, List.of("1.0"));
        List<String> second = registry.requests().subList(before, registry.requests().size());
        assertEquals(List.of(), uploadsIn(second), "pushing again uploads nothing");
        assertEquals(3, again.existing());
        assertEquals(first.digest(), again.digest());

        before = registry.requests().size();
        PushResult other = pusher().push(client.push("other/app"), image, List.of("2.0"));
        List<String> third = registry.requests().subList(before, registry.requests().size());
        assertEquals(3, other.mounted(), third.toString());
        assertEquals(List.of(), uploadsIn(third), "blobs are mounted, not uploaded: " + third);
        assertTrue(third.stream().anyMatch(r -> r.startsWith("POST /v2/other/app/blobs/uploads/")
                && r.contains("from=team%2Fapp")), third.toString());
        for (Blob blob : image.blobs()) {
            assertArrayEquals(blob.source().open(0).readAllBytes(), registry.blob("other/app", blob.digest()));
        }
    }

    @Test
    void tokenFlowPushesAndPullsWithATokenForTheRepository() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.BEARER).user("alice", PASSWORD, "team/app");
        RegistryClient client = RegistryClient.connect(registry.address(), alice(PASSWORD), options());
        ImageContent image = TestImages.image(2, 5000);
        PushResult pushed = pusher().push(client.push("team/app"), image, List.of("1.0"));
        assertFalse(registry.tokensIssued().isEmpty());
        assertTrue(registry.authorizations().stream().anyMatch(a -> a.startsWith("Bearer ")));

        RepositoryClient pull = client.pull("team/app");
        ManifestDocument manifest = pull.manifest("1.0").orElseThrow();
        assertArrayEquals(image.manifest().bytes(), manifest.bytes());
        assertEquals(MediaTypes.DOCKER_MANIFEST, manifest.mediaType());
        assertEquals(pushed.digest(), pull.manifestDigest("1.0").orElseThrow());
        assertEquals(Optional.empty(), pull.manifest("no-such-tag"));
        Descriptor layer = manifest.imageManifest().layers().get(0);
        Path file = dir.resolve("layer");
        pull.downloadBlob(layer, file);
        assertEquals(layer.digest(), Digest.sha256(Files.readAllBytes(file)));
        assertEquals(Optional.of(layer.size()), pull.blobSize(layer.digest()));
    }

    @Test
    void aRepositoryWithoutPushPermissionIsAClearErrorAndThePushWorksOnceGranted() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.BEARER).user("alice", PASSWORD, "team/app");
        ImageContent image = TestImages.image(3, 5000);
        RegistryClient client = RegistryClient.connect(registry.address(), alice(PASSWORD), options());
        RegistryException e = assertThrows(RegistryException.class,
                () -> pusher().push(client.push("secret/app"), image, List.of("1.0")));
        assertTrue(e.getMessage().contains("Registry " + registry.address() + " does not let user 'alice' (from test"
                + " settings) push to secret/app"), e.getMessage());
        assertTrue(e.getMessage().contains("DENIED") && e.getMessage().contains("ask the registry's administrators"),
                e.getMessage());
        assertEquals(List.of(), contentSentIn(registry.requests()));

        registry.user("alice", PASSWORD, "team/app", "secret/app");
        PushResult pushed = pusher().push(RegistryClient.connect(registry.address(), alice(PASSWORD), options())
                .push("secret/app"), image, List.of("1.0"));
        assertEquals(image.manifest().digest(), pushed.digest());
    }

    @Test
    void aWrongPasswordIsAClearErrorBeforeAnyUploadAndTheRightOneWorks() throws IOException {
        FakeRegistry basic = registry(FakeRegistry.Auth.BASIC).user("alice", PASSWORD);
        RegistryException e = assertThrows(RegistryException.class,
                () -> RegistryClient.connect(basic.address(), alice("wrong"), options()));
        assertTrue(e.getMessage().startsWith("Registry " + basic.address() + " refused the credentials of user"
                + " 'alice' (from test settings)"), e.getMessage());
        assertTrue(e.getMessage().contains("docker login " + basic.address()), e.getMessage());
        assertEquals(List.of(), uploadsIn(basic.requests()));
        pusher().push(RegistryClient.connect(basic.address(), alice(PASSWORD), options()).push("team/app"),
                TestImages.image(4, 100), List.of("1"));

        FakeRegistry bearer = registry(FakeRegistry.Auth.BEARER).user("alice", PASSWORD, "team/app");
        RegistryClient client = RegistryClient.connect(bearer.address(), alice("wrong"), options());
        RegistryException tokenRefused = assertThrows(RegistryException.class,
                () -> pusher().push(client.push("team/app"), TestImages.image(4, 100), List.of("1")));
        assertTrue(tokenRefused.getMessage().contains("refused the credentials of user 'alice' (from test settings)"),
                tokenRefused.getMessage());
    }

    @Test
    void withoutCredentialsTheMessageSaysWhereToPutThem() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.BASIC).user("alice", PASSWORD);
        RegistryClient client = RegistryClient.connect(registry.address(), CredentialSource.none(), options());
        RegistryException e = assertThrows(RegistryException.class,
                () -> pusher().push(client.push("team/app"), TestImages.image(5, 100), List.of("1")));
        assertTrue(e.getMessage().contains("needs credentials to push to team/app"), e.getMessage());
        assertTrue(e.getMessage().contains("<server> with <id>" + registry.address() + "</id>"), e.getMessage());
    }

    @Test
    void anUnknownOrUnreachableRegistryIsAClearError() throws IOException {
        RegistryException unknown = assertThrows(RegistryException.class,
                () -> RegistryClient.connect("no-such-registry.invalid:5000", CredentialSource.none(), options()));
        assertTrue(unknown.getMessage().startsWith("Cannot reach registry no-such-registry.invalid:5000 at"
                + " https://no-such-registry.invalid:5000/v2/: its host name does not resolve"), unknown.getMessage());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RegistryException refused = assertThrows(RegistryException.class,
                () -> RegistryClient.connect("127.0.0.1:" + closedPort, CredentialSource.none(), options()));
        assertTrue(refused.getMessage().contains("Cannot reach registry 127.0.0.1:" + closedPort)
                && refused.getMessage().contains("the connection was refused")
                && refused.getMessage().contains("Check that the registry is running"), refused.getMessage());
    }

    @Test
    void aServerThatIsNoRegistryIsNamed() throws IOException {
        com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        web.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        web.start();
        servers.add(() -> web.stop(0));
        String address = "127.0.0.1:" + web.getAddress().getPort();
        RegistryException e = assertThrows(RegistryException.class,
                () -> RegistryClient.connect(address, CredentialSource.none(), options()));
        assertTrue(e.getMessage().contains("Registry " + address + " does not answer as a container registry"),
                e.getMessage());
    }

    @Test
    void aConnectionCutDuringAChunkedUploadResumesWhereTheRegistryStands() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.NONE);
        CuttingProxy proxy = new CuttingProxy(registry.port(), 150_000, 1); // in the third 64 KiB chunk
        servers.add(proxy);
        ImageContent image = TestImages.image(6, 300_000);
        RegistryClient client = RegistryClient.connect(proxy.address(), CredentialSource.none(), options());
        PushResult pushed = new ImagePusher(BlobLocations.none(), log).push(client.push("team/app"), image,
                List.of("1.0"));
        assertEquals(1, proxy.cutsMade());
        assertEquals(image.manifest().digest(), pushed.digest());
        Blob layer = image.blobs().get(1);
        assertArrayEquals(layer.source().open(0).readAllBytes(), registry.blob("team/app", layer.digest()));
        List<String> requests = registry.requests();
        assertEquals(2, requests.stream().filter(r -> r.equals("POST /v2/team/app/blobs/uploads/")).count(),
                "one session for the config, one for the layer, resumed after the cut: " + requests);
        assertTrue(requests.stream().anyMatch(r -> r.startsWith("GET /v2/team/app/blobs/uploads/")), requests.toString());
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("failed: the connection was closed")
                && w.contains("trying again")), log.text());
    }

    @Test
    void aConnectionCutDuringASinglePutUploadStartsItAgain() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.NONE);
        CuttingProxy proxy = new CuttingProxy(registry.port(), 50_000, 1);
        servers.add(proxy);
        ImageContent image = TestImages.image(6, 100_000);
        RegistryClient client = RegistryClient.connect(proxy.address(), CredentialSource.none(),
                options().withChunkSize(1 << 20));
        PushResult pushed = pusher().push(client.push("team/app"), image, List.of("1.0"));
        assertEquals(1, proxy.cutsMade());
        assertEquals(image.manifest().digest(), pushed.digest());
        Blob layer = image.blobs().get(1);
        assertArrayEquals(layer.source().open(0).readAllBytes(), registry.blob("team/app", layer.digest()));
        assertEquals(3, registry.requests().stream().filter(r -> r.equals("POST /v2/team/app/blobs/uploads/"))
                .count(), "the config's session, the layer's, and the layer's again: " + registry.requests());
    }

    @Test
    void aConnectionCutEveryTimeIsAClearErrorAndTheSamePushThenSucceeds() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.NONE);
        CuttingProxy proxy = new CuttingProxy(registry.port(), 100_000, Integer.MAX_VALUE);
        servers.add(proxy);
        ImageContent image = TestImages.image(7, 300_000);
        RegistryClient client = RegistryClient.connect(proxy.address(), CredentialSource.none(), options());
        RegistryException e = assertThrows(RegistryException.class,
                () -> pusher().push(client.push("team/app"), image, List.of("1.0")));
        assertTrue(e.getMessage().startsWith("Lost registry " + proxy.address() + " while uploading"), e.getMessage());
        assertTrue(e.getMessage().contains("run the same push again"), e.getMessage());
        assertEquals(null, registry.manifest("team/app", "1.0"));

        PushResult pushed = pusher().push(RegistryClient.connect(registry.address(), CredentialSource.none(),
                options()).push("team/app"), image, List.of("1.0"));
        assertEquals(image.manifest().digest(), pushed.digest());
    }

    @Test
    void transientServerErrorsAreRetried() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.NONE).fail("PUT /v2/team/app/manifests/.*", 503, 2)
                .fail("GET /v2/", 503, 1);
        RegistryClient client = RegistryClient.connect(registry.address(), CredentialSource.none(), options());
        pusher().push(client.push("team/app"), TestImages.image(8, 100), List.of("1.0"));
        assertEquals(3, log.warnings().stream().filter(w -> w.contains("HTTP 503")).count(), log.text());
    }

    @Test
    void aRegistryThatStoresTheManifestUnderAnotherDigestIsAnError() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.NONE);
        registry.wrongManifestDigest = true;
        RegistryClient client = RegistryClient.connect(registry.address(), CredentialSource.none(), options());
        RegistryException e = assertThrows(RegistryException.class,
                () -> pusher().push(client.push("team/app"), TestImages.image(9, 100), List.of("1.0")));
        assertTrue(e.getMessage().contains("stored the manifest of team/app:1.0 as sha256:"), e.getMessage());
    }

    @Test
    void downloadsAreVerifiedAndNothingUnverifiedIsKept() throws IOException {
        FakeRegistry registry = registry(FakeRegistry.Auth.NONE);
        RegistryClient client = RegistryClient.connect(registry.address(), CredentialSource.none(), options());
        ImageContent image = TestImages.image(10, 70_000);
        pusher().push(client.push("team/app"), image, List.of("1.0"));
        Descriptor layer = image.manifest().imageManifest().layers().get(0);
        registry.corruptBlobDownloads = true;
        Path target = dir.resolve("blobs/layer");
        RegistryException e = assertThrows(RegistryException.class,
                () -> client.pull("team/app").downloadBlob(layer, target));
        assertTrue(e.getMessage().contains("does not match that digest"), e.getMessage());
        assertFalse(Files.exists(target));
        try (var files = Files.list(target.getParent())) {
            assertEquals(List.of(), files.toList(), "no partial file is left");
        }
        assertThrows(RegistryException.class, () -> client.pull("team/app").readBlob(layer.digest(), 1 << 20));

        registry.corruptBlobDownloads = false;
        registry.stallBlobDownloads = true;
        RegistryClient impatient = RegistryClient.connect(registry.address(), CredentialSource.none(),
                options().withRetries(2, Duration.ofMillis(10)).withTimeouts(Duration.ofSeconds(5),
                        Duration.ofSeconds(5), Duration.ofMillis(500)));
        long start = System.nanoTime();
        RegistryException stalled = assertThrows(RegistryException.class,
                () -> impatient.pull("team/app").downloadBlob(layer, target));
        assertTrue(stalled.getMessage().contains("no data for 0.5 s"), stalled.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 20, "a stalled download ends in bounded time");
        assertFalse(Files.exists(target));
    }

    @Test
    void noSecretReachesTheLogOrAnyMessage() throws IOException {
        FakeRegistry basic = registry(FakeRegistry.Auth.BASIC).user("alice", PASSWORD);
        FakeRegistry bearer = registry(FakeRegistry.Auth.BEARER).user("alice", PASSWORD, "team/app");
        StringWriter everything = new StringWriter();
        PrintWriter out = new PrintWriter(everything);
        ImageContent image = TestImages.image(11, 1000);
        for (String password : List.of("wrong-" + PASSWORD, PASSWORD)) {
            for (FakeRegistry registry : List.of(basic, bearer)) {
                for (String repository : List.of("team/app", "secret/app")) {
                    try {
                        pusher().push(RegistryClient.connect(registry.address(), alice(password), options())
                                .push(repository), image, List.of("1.0"));
                    } catch (RegistryException e) {
                        e.printStackTrace(out);
                    }
                }
            }
        }
        out.flush();
        String text = log.text() + "\n" + everything;
        assertTrue(text.contains("refused the credentials") && text.contains("does not let user 'alice'"), text);
        List<String> secrets = new ArrayList<>(List.of(PASSWORD,
                Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8))));
        secrets.addAll(bearer.tokensIssued());
        assertFalse(bearer.tokensIssued().isEmpty());
        for (String secret : secrets) {
            assertFalse(text.contains(secret), "a secret is in the log or a message: " + secret);
        }
    }
}
