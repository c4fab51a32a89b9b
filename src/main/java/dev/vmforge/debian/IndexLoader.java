package dev.vmforge.debian;

import dev.vmforge.Sha256;
import dev.vmforge.fs.HostFiles;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tukaani.xz.XZInputStream;

/**
 * Loads the package index of one {@link PackageSource}: fetches and verifies {@code InRelease}, then for
 * each component fetches {@code COMPONENT/binary-ARCH/Packages.xz}, checks it against the SHA-256 in the
 * Release file, and keeps its parsed compact form in {@code CACHE/indices/SHA256.packages}.
 *
 * <p>With a warm cache only InRelease is downloaded; offline, the InRelease verified last time
 * ({@code CACHE/releases/...}) is used and nothing is downloaded. Nothing unverified enters the cache.
 * Offline, an expired cached Release is accepted with a warning: it was verified fresh when fetched, and
 * no mirror is involved that could replay it.
 *
 * <p>No rollback: the newest {@code Date} seen from each mirror and suite is remembered
 * ({@code CACHE/releases/.../newest-date}), and a validly signed but older InRelease is refused, as apt
 * does, except from a snapshot mirror (which serves old states on purpose).
 */
final class IndexLoader {
    /** InRelease has no listed size; Debian's is ~150 KiB. A mirror sending more than this is cut off. */
    static final long MAX_RELEASE_BYTES = 16L << 20;

    private final Path cacheDir;
    private final boolean offline;
    private final BuildLog log;
    private final Transport transport;
    private final Clock clock;

    IndexLoader(Path cacheDir, boolean offline, BuildLog log, Transport transport, Clock clock) {
        this.cacheDir = cacheDir;
        this.offline = offline;
        this.log = log;
        this.transport = transport;
        this.clock = clock;
    }

    List<BinaryPackage> load(PackageSource source) {
        return load(source, loadRelease(source));
    }

    /** The packages of {@code source}'s components, as listed (and hashed) by its verified {@code release}. */
    List<BinaryPackage> load(PackageSource source, ReleaseFile release) {
        List<BinaryPackage> all = new ArrayList<>();
        for (String component : source.components()) {
            all.addAll(loadPackages(source, release, component, null));
        }
        return all;
    }

    ReleaseFile loadRelease(PackageSource source) {
        Path cached = releaseCachePath(source);
        String where = source.distsUri("InRelease").toString();
        byte[] inRelease;
        if (offline) {
            if (!Files.isRegularFile(cached)) {
                throw new BuildException("Offline mode: no cached " + where + " in " + cached
                        + ". Run once without -o to fill the cache.");
            }
            inRelease = readFile(cached);
        } else {
            try {
                inRelease = transport.get(source.distsUri("InRelease"), Transport.Expected.atMost(MAX_RELEASE_BYTES), n -> { });
            } catch (Transport.NotFoundException e) {
                throw new BuildException("The archive has no " + where + ": check <mirror> and <suite> (" + source + ")", e);
            } catch (IOException e) {
                throw new BuildException("Cannot download " + where + ": " + e.getMessage() + ". " + Transport.ADVICE, e);
            }
        }
        Keyring keyring = source.keyring() == null ? Keyring.debianArchive() : Keyring.load(source.keyring());
        ReleaseFile release;
        try {
            String text = InReleaseVerifier.verify(inRelease, keyring, where);
            release = ReleaseFile.parse(text, where);
            if (!release.describes(source.suite())) {
                throw new InReleaseVerifier.VerificationException(where + " describes suite '" + release.suite()
                        + "' (codename '" + release.codename() + "'), not the requested '" + source.suite()
                        + "'; refused. Check <suite>.");
            }
            boolean skip = source.isSnapshotMirror();
            if (skip && release.validUntil() != null && release.validUntil().isBefore(clock.instant())) {
                log.warn("Ignoring Valid-Until " + release.validUntil() + " of " + where + " (snapshot mirror pinned to a date)");
            }
            if (offline && !skip && release.validUntil() != null && release.validUntil().isBefore(clock.instant())) {
                log.warn("Offline: using " + where + " from the cache although it expired on " + release.validUntil());
                skip = true;
            }
            InReleaseVerifier.checkDates(release, clock.instant(), skip, where);
        } catch (InReleaseVerifier.VerificationException e) {
            throw new BuildException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BuildException("Malformed Release file " + where + ": " + e.getMessage());
        }
        if (!offline) {
            Path newestDate = cached.resolveSibling("newest-date");
            Instant newest = readNewestDate(newestDate);
            if (!source.isSnapshotMirror()) {
                refuseRollback(release, newest, where);
            }
            try {
                HostFiles.writeAtomically(cached, inRelease);
                if (release.date() != null && (newest == null || release.date().isAfter(newest))) {
                    HostFiles.writeAtomically(newestDate, (release.date() + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                throw new BuildException("Cannot write the cache " + cached + ": " + e.getMessage(), e);
            }
        }
        return release;
    }

    /** Refuses a Release older than one seen before: a stale mirror, or an attacker replaying old signed files. */
    private static void refuseRollback(ReleaseFile release, Instant newest, String where) {
        if (newest == null || (release.date() != null && !release.date().isBefore(newest))) {
            return;
        }
        throw new BuildException(where + " is dated " + (release.date() == null ? "nowhere (no Date field)" : release.date())
                + ", older than the " + newest + " already seen from this mirror: the mirror is out of date, or "
                + "replays old signed files to hold back updates (a rollback); refused, as apt does. Retry later "
                + "(a mirror may be catching up) or set another <distribution><mirror>. To build against an older "
                + "state of the archive on purpose, use a snapshot mirror, e.g. "
                + "https://snapshot.debian.org/archive/debian/20240101T000000Z/.");
    }

    /** The newest Date remembered for a mirror and suite; null when none (or unreadable: a cache only). */
    private static Instant readNewestDate(Path file) {
        try {
            return Instant.parse(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The packages named in {@code names} (every version {@code source}'s indices list), from the same verified
     * indices as {@link #load(PackageSource, ReleaseFile)}, without decoding the others.
     */
    List<BinaryPackage> find(PackageSource source, ReleaseFile release, Set<String> names) {
        List<BinaryPackage> found = new ArrayList<>();
        for (String component : source.components()) {
            found.addAll(loadPackages(source, release, component, names));
        }
        return found;
    }

    /** The packages of one component's index; only those named in {@code names} unless it is null. */
    private List<BinaryPackage> loadPackages(PackageSource source, ReleaseFile release, String component, Set<String> names) {
        String relative = component + "/binary-" + source.architecture() + "/Packages.xz";
        ReleaseFile.IndexEntry entry = release.sha256().get(relative);
        String where = source.distsUri(relative).toString();
        if (entry == null) {
            throw new BuildException("The Release file of " + source + " lists no " + relative
                    + ": check <components> and <architecture>.");
        }
        Path compact = cacheDir.resolve("indices").resolve(entry.sha256() + ".packages");
        if (Files.isRegularFile(compact) && HostFiles.markUsed(compact)) {
            try {
                return PackagesIndex.scanCompact(Files.readAllBytes(compact), source, names);
            } catch (IOException | RuntimeException e) {
                log.warn("Discarding unreadable cached index " + compact + ": " + e.getMessage());
                deleteQuietly(compact);
            }
        }
        if (offline) {
            throw new BuildException("Offline mode: the package index " + where + " (SHA-256 " + entry.sha256()
                    + ") is not in the cache " + cacheDir + ". Run once without -o to fill the cache.");
        }
        byte[] xz = fetchIndex(source, component, entry, relative, release.acquireByHash());
        String actual = Sha256.hex(xz);
        if (xz.length != entry.size() || !actual.equals(entry.sha256())) {
            throw new BuildException("Package index " + where + " does not match its Release file (expected SHA-256 "
                    + entry.sha256() + " and " + entry.size() + " bytes, got " + actual + " and " + xz.length
                    + " bytes): the mirror is inconsistent or tampered with. Retry later or use another <mirror>.");
        }
        List<BinaryPackage> packages;
        try (XZInputStream in = new XZInputStream(new ByteArrayInputStream(xz))) {
            packages = PackagesIndex.parseText(in.readAllBytes(), source, where);
        } catch (IOException | IllegalArgumentException e) {
            throw new BuildException("Cannot read package index " + where + ": " + e.getMessage(), e);
        }
        try {
            HostFiles.writeAtomically(compact, PackagesIndex.writeCompact(packages));
        } catch (IOException e) {
            throw new BuildException("Cannot write the cache " + compact + ": " + e.getMessage(), e);
        }
        log.info("Fetched " + where + " (" + packages.size() + " packages)");
        return names == null ? packages : packages.stream().filter(p -> names.contains(p.name())).toList();
    }

    /** Prefers the by-hash URL (immune to a mirror update between InRelease and the index), falls back to the plain path. */
    private byte[] fetchIndex(PackageSource source, String component, ReleaseFile.IndexEntry entry, String relative, boolean byHash) {
        List<String> candidates = new ArrayList<>();
        if (byHash) {
            candidates.add(component + "/binary-" + source.architecture() + "/by-hash/SHA256/" + entry.sha256());
        }
        candidates.add(relative);
        URI plain = source.distsUri(relative);
        DownloadProgress progress = new DownloadProgress(log, "Downloading " + plain, entry.size());
        IOException last = null;
        for (String path : candidates) {
            try {
                return transport.get(source.distsUri(path), Transport.Expected.listed(entry.size()), progress);
            } catch (Transport.NotFoundException e) {
                last = e;
            } catch (Transport.TooLargeException e) {
                throw new BuildException("Package index " + plain + " does not match its Release file (" + e.getMessage()
                        + "): the mirror is inconsistent or tampered with. Retry later or use another <mirror>.", e);
            } catch (IOException e) {
                last = e;
                break;
            }
        }
        throw new BuildException("Cannot download " + plain + ": " + last.getMessage() + ". " + Transport.ADVICE, last);
    }

    private Path releaseCachePath(PackageSource source) {
        String key = (source.mirror().getHost() == null ? "local" : source.mirror().getHost())
                + source.mirror().getPath() + "_" + source.suite();
        return cacheDir.resolve("releases").resolve(key.replaceAll("[^A-Za-z0-9.-]", "_")
                + "-" + Sha256.hex(source.mirror() + " " + source.suite()).substring(0, 12)).resolve("InRelease");
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BuildException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a later run retries
        }
    }
}
