package dev.vmforge.debian;

import dev.vmforge.Sha256;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.debian.FixtureRepository.Pkg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolution, verification and download against a signed fixture repository served from file: URIs. */
class DebianArchiveTest {
    @TempDir
    Path tmp;
    Path cache;
    FixtureRepository repo;

    @BeforeEach
    void setUp() {
        cache = tmp.resolve("cache");
        repo = new FixtureRepository(tmp.resolve("repo")).add(
                Pkg.of("app", "1.0-1", "Depends", "libc (>= 2.0), mta | mail-transport-agent, jre-headless:any (>= 11)",
                        "Pre-Depends", "init-system-helpers"),
                Pkg.of("libc", "2.1-1", "Priority", "required", "Essential", "yes"),
                Pkg.of("init-system-helpers", "1.0", "Architecture", "all"),
                Pkg.of("exim", "4.0", "Provides", "mail-transport-agent", "Priority", "standard"),
                Pkg.of("postfix", "3.0", "Provides", "mail-transport-agent", "Priority", "optional"),
                Pkg.of("openjdk-jre", "17.0", "Provides", "jre-headless (= 17)", "Conflicts", "oldjre"),
                Pkg.of("oldjre", "1.0", "Provides", "jre-headless (= 8)"),
                Pkg.of("needs-new-jre", "1.0", "Depends", "oldjre | jre-headless (>= 11)"),
                Pkg.of("tool", "1.0", "Depends", "libc (>= 3.0)"),
                Pkg.of("outer", "1.0", "Depends", "tool"),
                Pkg.of("dash", "0.5", "Priority", "required"),
                Pkg.of("ess-only", "1.0", "Essential", "yes", "Priority", "important"),
                Pkg.of("rec-user", "1.0", "Recommends", "extra-doc, missing-thing"),
                Pkg.of("extra-doc", "1.0"),
                Pkg.of("linux-image-cloud", "6.1", "Depends", "linux-image-6.1-cloud (= 6.1)"),
                Pkg.of("linux-image-6.1-cloud", "6.1", "Depends", "initramfs-tools | linux-initramfs-tool, kmod"),
                Pkg.of("initramfs-tools", "0.142"),
                Pkg.of("kmod", "30"),
                // Debian 12's lsb-base case: a transitional package, and a required one providing its name
                Pkg.of("needs-lsb", "1.0", "Depends", "lsb-base, bbox | bbox-static"),
                Pkg.of("lsb-base", "12.0", "Depends", "sysv-utils", "Description", "transitional package"),
                Pkg.of("sysv-utils", "3.06", "Provides", "lsb-base (= 11.6)", "Priority", "required", "Essential", "yes"),
                Pkg.of("bbox", "1.35"),
                Pkg.of("bbox-static", "1.35", "Provides", "bbox", "Conflicts", "bbox"));
    }

    private DebianArchive archive() {
        return new DebianArchive(cache, false, BuildLog.silent());
    }

    private ResolveRequest request(Path keyring, Base base, String... packages) {
        return new ResolveRequest(List.of(repo.source(keyring)), List.of(packages), null, base, false);
    }

    private static List<String> names(ResolvedClosure c) {
        return c.packages().stream().map(ResolvedPackage::name).toList();
    }

    private List<Path> cacheFiles() throws IOException {
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(cache)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void resolvesAlternativesVirtualPackagesAndVersionedProvides() throws IOException {
        Path keyring = repo.write();
        ResolvedClosure closure = archive().resolve(request(keyring, Base.MINIMAL, "app"));
        // mta is missing: the provider of mail-transport-agent with the highest priority (exim) is chosen.
        assertEquals(List.of("app", "exim", "init-system-helpers", "libc", "openjdk-jre"), names(closure));
        ResolvedPackage libc = closure.find("libc");
        assertEquals("2.1-1", libc.version().toString());
        assertTrue(libc.essential());
        assertTrue(libc.uri().toString().endsWith("/pool/main/l/libc/libc_2.1-1_amd64.deb"), libc.uri().toString());
        assertEquals("all", closure.find("init-system-helpers").architecture());
    }

    @Test
    void skipsAlternativesThatConflictWithChosenPackages() throws IOException {
        Path keyring = repo.write();
        // openjdk-jre is chosen first; oldjre conflicts with it, so the versioned alternative is used.
        ResolvedClosure closure = archive().resolve(request(keyring, Base.MINIMAL, "openjdk-jre", "needs-new-jre"));
        assertEquals(List.of("needs-new-jre", "openjdk-jre"), names(closure));
        // Without it, the first alternative wins as in apt.
        assertEquals(List.of("needs-new-jre", "oldjre"), names(archive().resolve(request(keyring, Base.MINIMAL, "needs-new-jre"))));
    }

    @Test
    void aDependencyMetByARequestedPackageTakesItAsAptDoes() throws IOException {
        Path keyring = repo.write();
        // apt marks every requested package first: sysv-utils provides lsb-base, bbox-static is an alternative
        assertEquals(List.of("bbox-static", "needs-lsb", "sysv-utils"),
                names(archive().resolve(request(keyring, Base.MINIMAL, "needs-lsb", "sysv-utils", "bbox-static"))));
        // the base set counts as installed: its Essential sysv-utils meets lsb-base
        assertEquals(List.of("bbox", "ess-only", "libc", "needs-lsb", "sysv-utils"),
                names(archive().resolve(request(keyring, Base.ESSENTIAL, "needs-lsb"))));
        // nothing requested provides lsb-base: the real (transitional) package, as apt takes it
        assertEquals(List.of("bbox", "lsb-base", "needs-lsb", "sysv-utils"),
                names(archive().resolve(request(keyring, Base.MINIMAL, "needs-lsb"))));
    }

    @Test
    void unsatisfiableDependencyNamesTheChain() throws IOException {
        Path keyring = repo.write();
        UnsatisfiableDependencyException e = assertThrows(UnsatisfiableDependencyException.class,
                () -> archive().resolve(request(keyring, Base.MINIMAL, "outer")));
        assertEquals(List.of("outer", "tool", "libc (>= 3.0)"), e.chain());
        assertTrue(e.getMessage().contains("outer -> tool -> libc (>= 3.0): no candidate (only version 2.1-1 available)"), e.getMessage());
        UnsatisfiableDependencyException unknown = assertThrows(UnsatisfiableDependencyException.class,
                () -> archive().resolve(request(keyring, Base.MINIMAL, "nonexistent")));
        assertTrue(unknown.getMessage().contains("nonexistent: no such package"), unknown.getMessage());
    }

    @Test
    void baseSetsAddEssentialAndRequiredPackages() throws IOException {
        Path keyring = repo.write();
        assertEquals(List.of("ess-only", "extra-doc", "libc", "sysv-utils"), names(archive().resolve(request(keyring, Base.ESSENTIAL, "extra-doc"))));
        assertEquals(List.of("dash", "ess-only", "extra-doc", "libc", "sysv-utils"), names(archive().resolve(request(keyring, Base.MINBASE, "extra-doc"))));
    }

    @Test
    void kernelBringsItsImagePackageButNotTheToolsTheImageDependsOn() throws IOException {
        Path keyring = repo.write();
        ResolveRequest withKernel = new ResolveRequest(List.of(repo.source(keyring)), List.of("extra-doc"),
                "linux-image-cloud", Base.MINIMAL, false);
        // the plugin writes the initrd and module lists itself: initramfs-tools and kmod have nothing to do
        assertEquals(List.of("extra-doc", "linux-image-6.1-cloud", "linux-image-cloud"),
                names(archive().resolve(withKernel)));
    }

    @Test
    void recommendsOnlyWhenAsked() throws IOException {
        Path keyring = repo.write();
        assertEquals(List.of("rec-user"), names(archive().resolve(request(keyring, Base.MINIMAL, "rec-user"))));
        ResolveRequest withRecommends = new ResolveRequest(List.of(repo.source(keyring)), List.of("rec-user"), null, Base.MINIMAL, true);
        assertEquals(List.of("extra-doc", "rec-user"), names(archive().resolve(withRecommends)));
    }

    @Test
    void downloadsVerifiedDebsAndReusesTheCacheOffline() throws IOException {
        Path keyring = repo.write();
        ResolvedClosure closure = archive().resolve(request(keyring, Base.MINIMAL, "app"));
        Map<ResolvedPackage, Path> debs = archive().download(closure.packages());
        for (Map.Entry<ResolvedPackage, Path> e : debs.entrySet()) {
            assertEquals(cache.resolve("debs").resolve(e.getKey().sha256() + ".deb"), e.getValue());
            assertEquals(e.getKey().sha256(), Sha256.ofFile(e.getValue()));
        }
        // Offline, with the repository gone: everything comes from the cache.
        deleteTree(repo.root());
        List<Path> cached = new ArrayList<>();
        for (String kind : List.of("debs", "indices", "resolutions")) {
            try (Stream<Path> files = Files.list(cache.resolve(kind))) {
                cached.addAll(files.toList());
            }
        }
        FileTime longAgo = FileTime.from(Instant.now().minus(Duration.ofDays(40)));
        for (Path file : cached) {
            Files.setLastModifiedTime(file, longAgo);
        }
        DebianArchive offline = new DebianArchive(cache, true, BuildLog.silent());
        ResolvedClosure again = offline.resolve(request(keyring(), Base.MINIMAL, "app"));
        assertEquals(closure.packages(), again.packages());
        assertEquals(debs, offline.download(again.packages()));
        // every cache file the second build read records that use, for vm:gc
        assertEquals(2 + debs.size(), cached.size(), "one index, one resolution, the debs: " + cached);
        for (Path file : cached) {
            assertTrue(Files.getLastModifiedTime(file).compareTo(longAgo) > 0, file + " was used but looks unused");
        }
    }

    private Path keyring() throws IOException {
        Path k = tmp.resolve("trusted.gpg");
        Files.write(k, FixtureRepository.key().publicKeyring());
        return k;
    }

    @Test
    void offlineWithoutCacheListsWhatIsMissing() throws IOException {
        Path keyring = repo.write();
        ResolvedClosure closure = archive().resolve(request(keyring, Base.MINIMAL, "app"));
        DebianArchive offline = new DebianArchive(cache, true, BuildLog.silent());
        BuildException e = assertThrows(BuildException.class, () -> offline.download(closure.packages()));
        assertTrue(e.getMessage().contains("Offline mode: 5 package(s) are not in the cache"), e.getMessage());
        assertTrue(e.getMessage().contains("exim 4.0"), e.getMessage());
        BuildException noIndex = assertThrows(BuildException.class,
                () -> new DebianArchive(tmp.resolve("empty-cache"), true, BuildLog.silent()).resolve(request(keyring, Base.MINIMAL, "app")));
        assertTrue(noIndex.getMessage().contains("Offline mode: no cached"), noIndex.getMessage());
    }

    @Test
    void aClosureIsReusedUntilAnIndexChangesAndABrokenCacheEntryIsIgnored() throws IOException {
        Path keyring = repo.write();
        ResolvedClosure first = archive().resolve(request(keyring, Base.MINIMAL, "app"));
        List<Path> entries = cacheFiles().stream().filter(f -> f.toString().contains("resolutions")).toList();
        assertEquals(1, entries.size(), cacheFiles().toString());
        assertEquals(first.packages(), archive().resolve(request(keyring, Base.MINIMAL, "app")).packages());

        Files.writeString(entries.get(0), "not a closure\n");
        assertEquals(first.packages(), archive().resolve(request(keyring, Base.MINIMAL, "app")).packages());

        // a new libc in the archive: a new Release, a new index hash, a new resolution
        repo.add(Pkg.of("libc", "2.2-1", "Priority", "required", "Essential", "yes")).write();
        ResolvedClosure updated = archive().resolve(request(keyring, Base.MINIMAL, "app"));
        assertEquals("2.2-1", updated.find("libc").version().toString());
        assertEquals(2, cacheFiles().stream().filter(f -> f.toString().contains("resolutions")).count());
    }

    @Test
    void aCachedClosureWhosePackagesTheIndicesDoNotListIsDiscarded() throws IOException {
        Path keyring = repo.write();
        ResolvedClosure first = archive().resolve(request(keyring, Base.MINIMAL, "app"));
        Path entry = cacheFiles().stream().filter(f -> f.toString().contains("resolutions")).findFirst().orElseThrow();
        // libc's row made to name dash's .deb (not in app's closure): a well-formed entry the indices do not vouch for
        ResolvedPackage dash = archive().resolve(request(keyring, Base.MINIMAL, "dash")).find("dash");
        String forged = Files.readString(entry).lines().map(l -> !l.startsWith("libc\t") ? l
                : String.join("\t", "libc", "2.1-1", "amd64", dash.sha256(), Long.toString(dash.size()), dash.filename(),
                        l.split("\t")[6], "true", "required")).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        Files.writeString(entry, forged);
        List<String> warnings = new java.util.ArrayList<>();
        DebianArchive archive = new DebianArchive(cache, false, new BuildLog() {
            @Override public void info(String m) { }
            @Override public void warn(String m) { warnings.add(m); }
            @Override public void debug(String m) { }
            @Override public boolean isDebugEnabled() { return false; }
        });
        assertEquals(first.packages(), archive.resolve(request(keyring, Base.MINIMAL, "app")).packages());
        assertTrue(warnings.toString().contains("Discarding the cached resolution"), warnings.toString());
        assertFalse(Files.readString(entry).contains(dash.sha256()), "rewritten with the resolved closure");
    }

    @Test
    void tamperedPackagesIndexIsRefusedAndNotCached() throws IOException {
        Path keyring = repo.write();
        Path index = repo.root().resolve("dists/" + FixtureRepository.SUITE + "/main/binary-amd64/Packages.xz");
        Files.write(index, FixtureRepository.xz("Package: evil\nVersion: 1\nArchitecture: amd64\nFilename: x\nSize: 1\nSHA256: 00\n".getBytes()));
        BuildException e = assertThrows(BuildException.class, () -> archive().resolve(request(keyring, Base.MINIMAL, "app")));
        assertTrue(e.getMessage().contains("does not match its Release file"), e.getMessage());
        assertTrue(cacheFiles().stream().noneMatch(p -> p.toString().contains("indices")), cacheFiles().toString());
    }

    @Test
    void tamperedDebIsRefusedAndNotCached() throws IOException {
        Path keyring = repo.write();
        ResolvedClosure closure = archive().resolve(request(keyring, Base.MINIMAL, "init-system-helpers"));
        ResolvedPackage p = closure.packages().get(0);
        Path deb = repo.root().resolve(p.filename());
        byte[] bytes = Files.readAllBytes(deb);
        bytes[bytes.length - 10] ^= 0x55; // same size, different content
        Files.write(deb, bytes);
        BuildException e = assertThrows(BuildException.class, () -> archive().download(closure.packages()));
        assertTrue(e.getMessage().contains("corrupt or tampered download"), e.getMessage());
        assertTrue(cacheFiles().stream().noneMatch(f -> f.toString().contains("debs")), cacheFiles().toString());
        Files.write(deb, java.util.Arrays.copyOf(bytes, bytes.length + 100)); // larger than listed
        BuildException larger = assertThrows(BuildException.class, () -> archive().download(closure.packages()));
        assertTrue(larger.getMessage().contains("larger than"), larger.getMessage());
        assertTrue(cacheFiles().stream().noneMatch(f -> f.toString().contains("debs")), cacheFiles().toString());
    }

    @Test
    void signatureByAnUntrustedKeyIsRefused() throws IOException {
        Path keyring = repo.signedBy(FixtureRepository.otherKey()).write();
        BuildException e = assertThrows(BuildException.class, () -> archive().resolve(request(keyring, Base.MINIMAL, "app")));
        assertTrue(e.getMessage().contains("has no valid signature") && e.getMessage().contains("is not in keyring"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void alteredSignedTextIsRefused() throws IOException {
        Path keyring = repo.write();
        Path inRelease = repo.root().resolve("dists/" + FixtureRepository.SUITE + "/InRelease");
        Files.writeString(inRelease, Files.readString(inRelease).replace("Label: Fixture", "Label: Fixturf"));
        BuildException e = assertThrows(BuildException.class, () -> archive().resolve(request(keyring, Base.MINIMAL, "app")));
        assertTrue(e.getMessage().contains("BAD signature"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void unsignedReleaseIsRefused() throws IOException {
        Path keyring = repo.write();
        Path dists = repo.root().resolve("dists/" + FixtureRepository.SUITE);
        Files.copy(dists.resolve("Release"), dists.resolve("InRelease"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        BuildException e = assertThrows(BuildException.class, () -> archive().resolve(request(keyring, Base.MINIMAL, "app")));
        assertTrue(e.getMessage().contains("is not signed"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void expiredReleaseIsRefused() throws IOException {
        Path keyring = repo.validUntil(Instant.now().minusSeconds(60)).write();
        BuildException e = assertThrows(BuildException.class, () -> archive().resolve(request(keyring, Base.MINIMAL, "app")));
        assertTrue(e.getMessage().contains("expired on"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
        // The same archive seen through a clock before the expiry is fine.
        DebianArchive past = new DebianArchive(cache, false, BuildLog.silent(), Clock.fixed(Instant.now().minusSeconds(600), ZoneOffset.UTC));
        assertFalse(past.resolve(request(keyring, Base.MINIMAL, "app")).packages().isEmpty());
    }

    @Test
    void anOlderValidlySignedReleaseThanOneSeenBeforeIsRefused() throws IOException {
        Instant seen = Instant.parse("2026-01-10T08:00:00Z");
        Path keyring = repo.date(seen).validUntil(Instant.now().plusSeconds(86400)).write();
        assertFalse(archive().resolve(request(keyring, Base.MINIMAL, "app")).packages().isEmpty());
        // the mirror now serves an InRelease signed a day earlier: a stale mirror, or a replay holding back updates
        repo.date(seen.minusSeconds(86400)).writeRelease();
        BuildException e = assertThrows(BuildException.class, () -> archive().resolve(request(keyring, Base.MINIMAL, "app")));
        assertTrue(e.getMessage().contains("is dated 2026-01-09T08:00:00Z, older than the 2026-01-10T08:00:00Z already seen"),
                e.getMessage());
        assertTrue(e.getMessage().contains("rollback") && e.getMessage().contains("snapshot.debian.org"), e.getMessage());
        // nothing of it was kept: offline, the newer InRelease seen before is still the one used
        assertFalse(new DebianArchive(cache, true, BuildLog.silent()).resolve(request(keyring, Base.MINIMAL, "app")).packages().isEmpty());
        // the same date again (a re-fetch), and a newer one, are fine
        repo.date(seen).writeRelease();
        assertFalse(archive().resolve(request(keyring, Base.MINIMAL, "app")).packages().isEmpty());
        repo.date(seen.plusSeconds(3600)).writeRelease();
        assertFalse(archive().resolve(request(keyring, Base.MINIMAL, "app")).packages().isEmpty());
        repo.date(seen).writeRelease();
        BuildException again = assertThrows(BuildException.class, () -> archive().resolve(request(keyring, Base.MINIMAL, "app")));
        assertTrue(again.getMessage().contains("older than the 2026-01-10T09:00:00Z"), again.getMessage());
    }

    @Test
    void releaseForAnotherSuiteIsRefused() throws IOException {
        Path keyring = repo.releaseSuite("other-suite").write();
        BuildException e = assertThrows(BuildException.class, () -> archive().resolve(request(keyring, Base.MINIMAL, "app")));
        assertTrue(e.getMessage().contains("describes suite 'other-suite'"), e.getMessage());
        assertEquals(List.of(), cacheFiles());
    }

    @Test
    void bundledDebianKeysVerifyTheHostsInRelease() throws Exception {
        Path hostInRelease = Path.of("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(hostInRelease), "no apt lists on this machine");
        String text = InReleaseVerifier.verify(Files.readAllBytes(hostInRelease), Keyring.debianArchive(), hostInRelease.toString());
        assertTrue(ReleaseFile.parse(text, "Release").describes("bookworm"));
        assertThrows(InReleaseVerifier.VerificationException.class, () -> InReleaseVerifier.verify(Files.readAllBytes(hostInRelease),
                Keyring.of(FixtureRepository.key().publicKeyring(), "fixture key"), "host InRelease"));
    }

    @Test
    void lockFileRoundTripsAndDetectsChangedRequests() throws IOException {
        Path keyring = repo.write();
        ResolveRequest request = request(keyring, Base.MINIMAL, "app");
        ResolvedClosure closure = archive().resolve(request);
        Path file = tmp.resolve(LockFile.FILE_NAME);
        LockFile.of(request, closure).write(file);
        String text = Files.readString(file);
        assertTrue(text.contains("mvn vm:resolve"), text);
        long libcSize = closure.find("libc").size();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("libc 2.1-1 amd64 ")
                && l.endsWith(" " + libcSize + " pool/main/l/libc/libc_2.1-1_amd64.deb")), text);
        LockFile read = LockFile.read(file);
        assertTrue(read.matches(request));
        assertEquals(closure.packages().stream().map(ResolvedPackage::sha256).toList(), read.packages().stream().map(ResolvedPackage::sha256).toList());
        ResolveRequest changed = request(keyring, Base.MINIMAL, "app", "dash");
        assertFalse(read.matches(changed));
        BuildException e = assertThrows(BuildException.class, () -> read.requireMatch(changed, file));
        assertTrue(e.getMessage().contains("mvn vm:resolve"), e.getMessage());
        // The rows, checked against the verified index, are the resolved packages (sizes and mirror included).
        ResolvedClosure locked = archive().locked(read, request.sources(), file.toString());
        assertEquals(closure.packages(), locked.packages());
        Map<ResolvedPackage, Path> debs = archive().download(locked.packages(), read.mirrors());
        assertEquals(5, debs.size());
        for (Map.Entry<ResolvedPackage, Path> d : debs.entrySet()) {
            assertEquals(d.getKey().sha256(), Sha256.ofFile(d.getValue()));
        }
    }

    @Test
    void hostSourcesKeepOnlyDebianMirrors() throws IOException {
        Path apt = tmp.resolve("apt");
        Files.createDirectories(apt.resolve("sources.list.d"));
        Files.writeString(apt.resolve("sources.list"), "deb [arch=amd64] http://deb.debian.org/debian bookworm main contrib\n"
                + "deb-src http://deb.debian.org/debian bookworm main\n# deb http://example.org/x y z\n"
                + "deb https://packages.cloud.google.com/apt cloud-sdk-bookworm main\n");
        Files.writeString(apt.resolve("sources.list.d/debian.sources"), "Types: deb\nURIs: http://deb.debian.org/debian-security\n"
                + "Suites: bookworm-security\nComponents: main\nSigned-By: /nonexistent/key.gpg\n\n"
                + "Types: deb\nURIs: https://deb.nodesource.com/node_20.x\nSuites: nodistro\nComponents: main\n");
        Files.writeString(apt.resolve("sources.list.d/x.sources.disabled"), "Types: deb\nURIs: http://deb.debian.org/x\nSuites: s\n");
        List<String> warnings = new java.util.ArrayList<>();
        BuildLog log = new BuildLog() {
            @Override public void info(String m) { }
            @Override public void warn(String m) { warnings.add(m); }
            @Override public void debug(String m) { }
            @Override public boolean isDebugEnabled() { return false; }
        };
        List<PackageSource> sources = HostAptSources.read(apt, "amd64", log);
        assertEquals(List.of("http://deb.debian.org/debian/ bookworm main contrib [amd64]",
                "http://deb.debian.org/debian-security/ bookworm-security main [amd64]"), sources.stream().map(Object::toString).toList());
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("packages.cloud.google.com"), warnings.toString());
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
