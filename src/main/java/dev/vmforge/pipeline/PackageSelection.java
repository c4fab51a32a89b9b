package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.debian.Base;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.LockFile;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolveRequest;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.os.Distribution;
import dev.vmforge.os.OperatingSystem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the model's package wishes into a closure: from {@code vm-packages.lock} when the project has
 * one, else by resolving against the archive. Decides {@code <base>auto}.
 */
final class PackageSelection {
    /** The generated init, the initrd and the services run on a static busybox. */
    static final String BUSYBOX = "busybox-static";

    private final DebianArchive archive;
    private final BuildLog log;

    PackageSelection(DebianArchive archive, BuildLog log) {
        this.archive = archive;
        this.log = log;
    }

    /** The sources the model names, or the host's apt configuration. */
    static List<PackageSource> sources(Distribution distribution, BuildLog log) {
        if (distribution.usesHostSources()) {
            return DebianArchive.hostSources(distribution.architecture(), log);
        }
        List<PackageSource> sources = new ArrayList<>();
        for (Distribution.Source s : distribution.sources()) {
            sources.add(new PackageSource(s.mirror(), s.suite(), distribution.components(), distribution.architecture(),
                    distribution.keyring().orElse(null)));
        }
        return sources;
    }

    /** The request for a system: its packages, busybox, the kernel, the base set. */
    static ResolveRequest request(OperatingSystem os, List<PackageSource> sources, Base base) {
        Set<String> packages = new LinkedHashSet<>(os.packages());
        packages.add(BUSYBOX);
        return new ResolveRequest(sources, new ArrayList<>(packages), os.kernel(), base, os.installRecommends());
    }

    static Base base(OperatingSystem.Base base) {
        return switch (base) {
            case AUTO, MINIMAL -> Base.MINIMAL;
            case ESSENTIAL -> Base.ESSENTIAL;
            case MINBASE -> Base.MINBASE;
        };
    }

    /**
     * The closure to install. With a lock file, exactly its packages (after checking it still matches
     * the POM, and that the verified indices list each of them); otherwise resolved now.
     */
    ResolvedClosure select(OperatingSystem os, Path lockFile) {
        List<PackageSource> sources = sources(os.distribution(), log);
        ResolveRequest request = request(os, sources, base(os.base()));
        if (Files.isRegularFile(lockFile)) {
            LockFile lock = LockFile.read(lockFile);
            if (os.base() == OperatingSystem.Base.AUTO && !lock.matches(request)) {
                request = request(os, sources, Base.ESSENTIAL);
            }
            lock.requireMatch(request, lockFile);
            return archive.locked(lock, sources, lockFile.toString());
        }
        return resolve(os, sources).closure();
    }

    /** Resolves and writes the lock file; returns the closure. */
    ResolvedClosure lock(OperatingSystem os, Path lockFile) {
        Resolution resolution = resolve(os, sources(os.distribution(), log));
        LockFile.of(resolution.request(), resolution.closure()).write(lockFile);
        return resolution.closure();
    }

    /** A closure and the request that gave it (the one a lock file records). */
    private record Resolution(ResolveRequest request, ResolvedClosure closure) {
    }

    /**
     * Resolves against the archive. For {@code auto}, a minimal closure is widened to Debian's Essential set
     * when one of its packages has maintainer scripts, since dpkg needs that set to run them.
     */
    private Resolution resolve(OperatingSystem os, List<PackageSource> sources) {
        ResolveRequest request = request(os, sources, base(os.base()));
        ResolvedClosure closure = archive.resolve(request);
        if (os.base() == OperatingSystem.Base.AUTO) {
            List<String> scripted = MaintainerScripts.packagesWithScripts(archive, closure, os.kernel());
            if (!scripted.isEmpty()) {
                log.info("Packages with maintainer scripts " + scripted + ": adding Debian's Essential set (<base>auto)");
                request = request(os, sources, Base.ESSENTIAL);
                closure = archive.resolve(request);
            }
        }
        return new Resolution(request, closure);
    }

    /** Downloads (or finds in the cache) every .deb of the closure. */
    Map<ResolvedPackage, Path> download(ResolvedClosure closure) {
        return archive.download(closure.packages(),
                closure.sources().stream().map(PackageSource::mirror).distinct().toList());
    }
}
