package dev.vmforge.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.debian.FixtureRepository.Pkg;
import dev.vmforge.debian.LoopbackMirror.Fault;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mirrors that stall, never stop sending, fail for a while or are not there, served from 127.0.0.1: each
 * download ends within its timeouts, with an error naming the URL and what to try, and leaves nothing
 * half-written in the cache. Timeouts are short here; users get 30 s to connect and 60 s without data.
 */
class MirrorFaultsTest {
    /** Well past every timeout and retry below: only a hang reaches it. */
    private static final Duration HANG = Duration.ofSeconds(30);
    private static final Transport.Settings QUICK = new Transport.Settings(
            Duration.ofSeconds(2), Duration.ofMillis(400), 2, Duration.ofMillis(20));

    @TempDir
    Path tmp;
    Path cache;
    Path keyring;
    LoopbackMirror mirror;
    final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        cache = tmp.resolve("cache");
        FixtureRepository repo = new FixtureRepository(tmp.resolve("repo")).add(
                Pkg.of("app", "1.0", "Depends", "lib"),
                Pkg.of("lib", "2.0"));
        keyring = repo.write();
        mirror = new LoopbackMirror(repo.root());
    }

    @AfterEach
    void tearDown() {
        mirror.close();
    }

    private DebianArchive archive() {
        BuildLog log = new BuildLog() {
            @Override public void info(String m) { }
            @Override public void warn(String m) { warnings.add(m); }
            @Override public void debug(String m) { }
            @Override public boolean isDebugEnabled() { return false; }
        };
        return new DebianArchive(cache, false, log, Clock.systemUTC(), QUICK);
    }

    private ResolveRequest request(PackageSource source) {
        return new ResolveRequest(List.of(source), List.of("app"), null, Base.MINIMAL, false);
    }

    private BuildException failure(Runnable action) {
        return assertTimeoutPreemptively(HANG, () -> assertThrows(BuildException.class, action::run));
    }

    /** Files in the cache that are not finished entries. */
    private List<Path> partialFiles() throws IOException {
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }

    private static void assertAdvises(BuildException e, String url) {
        assertTrue(e.getMessage().contains(url), e.getMessage());
        assertTrue(e.getMessage().contains("<distribution><mirror>") && e.getMessage().contains("mvn -o"), e.getMessage());
    }

    @Test
    void aMirrorStallingAfterTheHeadersOfInReleaseFailsWithinTheReadTimeout() throws IOException {
        mirror.fault("/InRelease", Fault.STALL_AFTER_HEADERS);
        BuildException e = failure(() -> archive().resolve(request(mirror.source(keyring))));
        assertTrue(e.getMessage().contains("no data received for 400 ms (2 attempts)"), e.getMessage());
        assertAdvises(e, mirror.uri() + "dists/" + FixtureRepository.SUITE + "/InRelease");
        assertEquals(2, mirror.requests("/InRelease"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("retrying in 20 ms (attempt 2 of 2)"), warnings.toString());
        assertEquals(List.of(), partialFiles());
    }

    @Test
    void aPackageStallingMidwayFailsNamingItAndLeavesNothingInTheCache() throws IOException {
        ResolvedClosure closure = archive().resolve(request(mirror.source(keyring)));
        mirror.fault("/lib_2.0_amd64.deb", Fault.STALL_MID_BODY);
        BuildException e = failure(() -> archive().download(closure.packages()));
        assertTrue(e.getMessage().contains("Cannot download 1 package(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("lib 2.0 from " + mirror.uri() + "pool/main/l/lib/lib_2.0_amd64.deb: no data received"),
                e.getMessage());
        assertAdvises(e, "lib_2.0_amd64.deb");
        assertEquals(List.of(), partialFiles());
        assertFalse(Files.exists(archive().cachedDeb(closure.find("lib"))));
        assertTrue(Files.exists(archive().cachedDeb(closure.find("app"))), "the other package is complete and kept");
    }

    @Test
    void aPackageThatNeverEndsIsCutOffAtItsListedSize() throws IOException {
        ResolvedClosure closure = archive().resolve(request(mirror.source(keyring)));
        mirror.fault("/lib_2.0_amd64.deb", Fault.ENDLESS);
        BuildException e = failure(() -> archive().download(closure.packages()));
        assertTrue(e.getMessage().contains(": larger than the " + closure.find("lib").size() + " bytes its index lists; cut off"),
                e.getMessage());
        assertEquals(1, mirror.requests("/lib_2.0_amd64.deb"), "a mirror sending too much is not asked again");
        assertEquals(List.of(), partialFiles());
        assertFalse(Files.exists(archive().cachedDeb(closure.find("lib"))));
    }

    @Test
    void anInReleaseThatNeverEndsIsCutOffAtTheCap() throws IOException {
        mirror.fault("/InRelease", Fault.ENDLESS);
        BuildException e = failure(() -> archive().resolve(request(mirror.source(keyring))));
        assertTrue(e.getMessage().contains(": larger than the " + IndexLoader.MAX_RELEASE_BYTES + " bytes allowed for it; cut off"),
                e.getMessage());
        assertEquals(List.of(), partialFiles());
    }

    @Test
    void anIndexThatNeverEndsIsRefusedAtItsListedSize() throws IOException {
        mirror.fault("/Packages.xz", Fault.ENDLESS);
        BuildException e = failure(() -> archive().resolve(request(mirror.source(keyring))));
        assertTrue(e.getMessage().contains("does not match its Release file") && e.getMessage().contains("cut off"), e.getMessage());
        assertFalse(Files.exists(cache.resolve("indices")) && Files.list(cache.resolve("indices")).findAny().isPresent());
        assertEquals(List.of(), partialFiles());
    }

    @Test
    void aMirrorThatFailsOnceIsRetriedAndTheBuildGoesOn() throws IOException {
        mirror.fault("/InRelease", Fault.UNAVAILABLE).failTimes(1);
        ResolvedClosure closure = assertTimeoutPreemptively(HANG, () -> archive().resolve(request(mirror.source(keyring))));
        assertEquals(2, closure.packages().size());
        assertEquals(2, mirror.requests("/InRelease"));
        assertTrue(warnings.get(0).contains("HTTP 503"), warnings.toString());
    }

    @Test
    void aMirrorThatKeepsFailingIsGivenUpAfterTheLastAttempt() {
        mirror.fault("/InRelease", Fault.UNAVAILABLE).failTimes(100);
        BuildException e = failure(() -> archive().resolve(request(mirror.source(keyring))));
        assertTrue(e.getMessage().contains("HTTP 503 (2 attempts)"), e.getMessage());
        assertEquals(2, mirror.requests("/InRelease"));
    }

    @Test
    void aMissingFileIsNotRetried() {
        PackageSource wrongSuite = new PackageSource(mirror.uri(), "no-such-suite", List.of("main"), "amd64", keyring);
        BuildException e = failure(() -> archive().resolve(request(wrongSuite)));
        assertTrue(e.getMessage().contains("The archive has no " + mirror.uri() + "dists/no-such-suite/InRelease"), e.getMessage());
        assertEquals(1, mirror.requests("/InRelease"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void aMirrorThatRefusesConnectionsFailsNamingIt() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        URI dead = URI.create("http://127.0.0.1:" + closedPort + "/debian/");
        PackageSource source = new PackageSource(dead, FixtureRepository.SUITE, List.of("main"), "amd64", keyring);
        BuildException e = failure(() -> archive().resolve(request(source)));
        assertTrue(e.getMessage().contains("connection refused (2 attempts)"), e.getMessage());
        assertAdvises(e, dead + "dists/" + FixtureRepository.SUITE + "/InRelease");
    }
}
