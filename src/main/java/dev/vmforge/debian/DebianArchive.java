package dev.vmforge.debian;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The pipeline's entry point to Debian's archive.
 * <pre>
 * DebianArchive archive = new DebianArchive(cacheDir, offline, log);
 * ResolvedClosure closure = archive.resolve(request);          // verified indices, apt-like closure
 * Map&lt;ResolvedPackage, Path&gt; debs = archive.download(closure.packages()); // CACHE/debs/SHA256.deb
 * </pre>
 * Cache layout: {@code releases/…/InRelease} (last verified), {@code indices/SHA256.packages} (parsed
 * Packages.xz of that hash), {@code debs/SHA256.deb}.
 */
public final class DebianArchive {
    private final Path cacheDir;
    private final boolean offline;
    private final BuildLog log;
    private final Transport transport = new Transport();
    private final Clock clock;

    public DebianArchive(Path cacheDir, boolean offline, BuildLog log) {
        this(cacheDir, offline, log, Clock.systemUTC());
    }

    /** With a clock, for tests of Valid-Until. */
    public DebianArchive(Path cacheDir, boolean offline, BuildLog log, Clock clock) {
        this.cacheDir = cacheDir;
        this.offline = offline;
        this.log = log;
        this.clock = clock;
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
        if (sources.isEmpty()) {
            throw new BuildException("No package source: set <distribution><mirror>…</mirror><suite>…</suite></distribution>.");
        }
        String arch = sources.get(0).architecture();
        for (PackageSource s : sources) {
            if (!s.architecture().equals(arch)) {
                throw new BuildException("All <distribution> sources must use the same <architecture>; found " + arch + " and " + s.architecture());
            }
        }
        IndexLoader loader = new IndexLoader(cacheDir, offline, log, transport, clock);
        List<CompletableFuture<List<BinaryPackage>>> futures = new ArrayList<>();
        for (PackageSource s : sources) {
            futures.add(CompletableFuture.supplyAsync(() -> loader.load(s)));
        }
        List<List<BinaryPackage>> indices = new ArrayList<>();
        for (CompletableFuture<List<BinaryPackage>> f : futures) {
            try {
                indices.add(f.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException) {
                    throw (RuntimeException) e.getCause();
                }
                throw e;
            }
        }
        return new PackageUniverse(arch, indices);
    }

    public ResolvedClosure resolve(ResolveRequest request) {
        PackageUniverse universe = universe(request.sources());
        List<BinaryPackage> chosen = new Resolver(universe, request.installRecommends()).resolve(request.rootNames(), request.base());
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

    /** Where a package's .deb is (or will be) in the cache. */
    public Path cachedDeb(ResolvedPackage p) {
        return cacheDir.resolve("debs").resolve(p.sha256() + ".deb");
    }
}
