package dev.vmforge.debian;

import dev.vmforge.fs.HostFiles;
import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The pipeline's entry point to Debian's archive.
 * <pre>
 * DebianArchive archive = new DebianArchive(cacheDir, offline, log);
 * ResolvedClosure closure = archive.resolve(request);          // verified indices, apt-like closure
 * Map&lt;ResolvedPackage, Path&gt; debs = archive.download(closure.packages()); // CACHE/debs/SHA256.deb
 * </pre>
 * Cache layout: {@code releases/…/InRelease} (last verified) and {@code newest-date} (against rollbacks),
 * {@code indices/SHA256.packages} (parsed Packages.xz of that hash), {@code resolutions/KEY.tsv},
 * {@code debs/SHA256.deb}. Nothing is downloaded or installed unless a verified index lists it: resolved,
 * cached and locked closures alike.
 */
public final class DebianArchive {
    private final Path cacheDir;
    private final boolean offline;
    private final BuildLog log;
    private final Transport transport;
    private final Clock clock;

    public DebianArchive(Path cacheDir, boolean offline, BuildLog log) {
        this(cacheDir, offline, log, Clock.systemUTC());
    }

    /** With a clock, for tests of Valid-Until. */
    public DebianArchive(Path cacheDir, boolean offline, BuildLog log, Clock clock) {
        this(cacheDir, offline, log, clock, Transport.Settings.DEFAULT);
    }

    /** With network timeouts and retries, for tests of misbehaving mirrors. */
    DebianArchive(Path cacheDir, boolean offline, BuildLog log, Clock clock, Transport.Settings network) {
        this.cacheDir = cacheDir;
        this.offline = offline;
        this.log = log;
        this.clock = clock;
        this.transport = new Transport(network, log);
    }

    /**
     * The default sources: the host's apt configuration ({@code /etc/apt}), Debian mirrors only.
     *
     * @throws BuildException when the host has none
     */
    public static List<PackageSource> hostSources(String architecture, BuildLog log) {
        List<PackageSource> sources = HostAptSources.read(Path.of("/etc/apt"), architecture, log);
        if (sources.isEmpty()) {
            throw new BuildException("No Debian archive configured and none found in this machine's /etc/apt: set "
                    + "<distribution><mirror>http://deb.debian.org/debian</mirror><suite>bookworm</suite></distribution>.");
        }
        return sources;
    }

    /** Loads (and verifies) the indices of all sources, in parallel, merged as apt's candidates. */
    public PackageUniverse universe(List<PackageSource> sources) {
        return universe(sources, releases(sources));
    }

    /** The verified Release file of each source, in order, fetched in parallel. */
    private List<ReleaseFile> releases(List<PackageSource> sources) {
        if (sources.isEmpty()) {
            throw new BuildException("No package source: set <distribution><mirror>…</mirror><suite>…</suite></distribution>.");
        }
        String arch = sources.get(0).architecture();
        for (PackageSource s : sources) {
            if (!s.architecture().equals(arch)) {
                throw new BuildException("All <distribution> sources must use the same <architecture>; found " + arch + " and " + s.architecture());
            }
        }
        IndexLoader loader = loader();
        return inParallel(sources.stream().map(s -> (Supplier<ReleaseFile>) () -> loader.loadRelease(s)).toList());
    }

    private PackageUniverse universe(List<PackageSource> sources, List<ReleaseFile> releases) {
        IndexLoader loader = loader();
        List<Supplier<List<BinaryPackage>>> loads = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            PackageSource source = sources.get(i);
            ReleaseFile release = releases.get(i);
            loads.add(() -> loader.load(source, release));
        }
        return new PackageUniverse(sources.get(0).architecture(), inParallel(loads));
    }

    private IndexLoader loader() {
        return new IndexLoader(cacheDir, offline, log, transport, clock);
    }

    /** Runs the tasks in parallel; the first failure is rethrown as it was. */
    private static <T> List<T> inParallel(List<Supplier<T>> tasks) {
        List<CompletableFuture<T>> futures = new ArrayList<>();
        for (Supplier<T> task : tasks) {
            futures.add(CompletableFuture.supplyAsync(task));
        }
        List<T> results = new ArrayList<>();
        for (CompletableFuture<T> f : futures) {
            try {
                results.add(f.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                throw e;
            }
        }
        return results;
    }

    /**
     * The closure of {@code request}: from the resolution cache when the same request was resolved against the
     * same indices (the Release files, fetched and verified every time, say which), else resolved now.
     */
    public ResolvedClosure resolve(ResolveRequest request) {
        List<ReleaseFile> releases = releases(request.sources());
        ResolutionCache cache = new ResolutionCache(cacheDir);
        Optional<Path> cached = cache.file(request, releases);
        Optional<ResolvedClosure> hit = cached.flatMap(file -> cache.read(file, request.sources()));
        if (hit.isPresent()) {
            ListedPackages listed = listed(request.sources(), releases, hit.get().packages());
            if (hit.get().packages().stream().allMatch(listed::lists)) {
                return hit.get();
            }
            log.warn("Discarding the cached resolution " + cached.get() + ": the verified indices do not list all its packages");
        }
        ResolvedClosure closure = resolve(request, universe(request.sources(), releases));
        cached.ifPresent(file -> cache.write(file, closure));
        return closure;
    }

    /**
     * The packages of a lock file as the verified indices of {@code sources} list them (with their mirror and
     * size). A row is installed only when an index lists exactly it, so editing the lock cannot bring in a
     * package the archive does not vouch for.
     *
     * @param where the lock file, for messages
     * @throws BuildException naming each row (line) no index lists, and how to fix it
     */
    public ResolvedClosure locked(LockFile lock, List<PackageSource> sources, String where) {
        ListedPackages listed = listed(sources, releases(sources), lock.packages());
        List<ResolvedPackage> packages = new ArrayList<>();
        List<String> unlisted = new ArrayList<>();
        for (LockFile.Row row : lock.rows()) {
            Optional<BinaryPackage> match = listed.match(row.pkg());
            if (match.isPresent()) {
                packages.add(ResolvedPackage.of(match.get()));
            } else {
                unlisted.add(where + " line " + row.line() + ": " + row.pkg() + ": " + listed.whyUnlisted(row.pkg()));
            }
        }
        if (!unlisted.isEmpty()) {
            int shown = Math.min(unlisted.size(), 10);
            throw new BuildException(unlisted.size() + " package(s) of " + where + " are not in the verified indices of "
                    + sources.stream().map(PackageSource::toString).toList() + ":\n  "
                    + String.join("\n  ", unlisted.subList(0, shown))
                    + (shown < unlisted.size() ? "\n  ... and " + (unlisted.size() - shown) + " more" : "")
                    + "\nThe archive has moved on since the lock was written, or the file was edited. Run 'mvn vm:resolve' "
                    + "to lock the packages the archive has now; to keep these versions, set <distribution><mirror> to a "
                    + "snapshot of the archive from when the lock was written, e.g. "
                    + "https://snapshot.debian.org/archive/debian/20240101T000000Z/ (Debian's snapshot service keeps every "
                    + "published version).");
        }
        packages.sort(Comparator.comparing(ResolvedPackage::name));
        return new ResolvedClosure(packages, sources);
    }

    /** What the verified indices list under the names of these packages, read from all sources in parallel. */
    private ListedPackages listed(List<PackageSource> sources, List<ReleaseFile> releases, List<ResolvedPackage> packages) {
        Set<String> names = new HashSet<>();
        packages.forEach(p -> names.add(p.name()));
        IndexLoader loader = loader();
        List<Supplier<List<BinaryPackage>>> finds = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            PackageSource source = sources.get(i);
            ReleaseFile release = releases.get(i);
            finds.add(() -> loader.find(source, release, names));
        }
        return new ListedPackages(inParallel(finds));
    }

    private static ResolvedClosure resolve(ResolveRequest request, PackageUniverse universe) {
        Resolver resolver = new Resolver(universe, request.installRecommends());
        if (request.kernel() != null && !request.kernel().isBlank()) {
            resolver.markKernel(request.kernel());
        }
        List<BinaryPackage> chosen = resolver.resolve(request.packages(), request.base());
        List<ResolvedPackage> packages = new ArrayList<>();
        for (BinaryPackage p : chosen) {
            packages.add(ResolvedPackage.of(p));
        }
        packages.sort(Comparator.comparing(ResolvedPackage::name));
        return new ResolvedClosure(packages, request.sources());
    }

    /**
     * Downloads (or finds in the cache) every package; returns each package's verified .deb.
     *
     * @throws BuildException listing the failures, or (offline) what is missing
     */
    public Map<ResolvedPackage, Path> download(List<ResolvedPackage> packages) {
        return download(packages, List.of());
    }

    /** As {@link #download(List)}, trying these mirrors too when a package's own mirror lacks its file (lock-file entries). */
    public Map<ResolvedPackage, Path> download(List<ResolvedPackage> packages, List<URI> otherMirrors) {
        return new DebDownloader(cacheDir, offline, log, transport, otherMirrors).download(packages);
    }

    /**
     * Records that a build's configuration needs these packages, whether or not this goal unpacks them (its
     * outputs may be up to date): vm:gc keeps the .debs a configuration in use would need to build again.
     */
    public void recordUse(List<ResolvedPackage> packages) {
        for (ResolvedPackage p : packages) {
            HostFiles.markUsed(cachedDeb(p));
        }
    }

    /** Where a package's .deb is (or will be) in the cache. */
    public Path cachedDeb(ResolvedPackage p) {
        return cacheDir.resolve("debs").resolve(p.sha256() + ".deb");
    }
}
