package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.debian.Base;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.DebianVersion;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolveRequest;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.vm.BuilderInitramfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The builder VM's packages: {@link BuilderInitramfs#PACKAGES} and its kernel from the system's sources, except
 * e2fsprogs, which must be 1.47.1 or later: from that version on {@code mke2fs -d} clamps the copied files' times to
 * SOURCE_DATE_EPOCH (1.47.0 copies each file's ctime, which nothing can set). When the system's sources offer an
 * older one (bookworm has 1.47.0), e2fsprogs and the libraries it needs come from the suite's backports on the
 * same mirror (bookworm-backports: 1.47.2), as {@code apt-get -t bookworm-backports install e2fsprogs} would take
 * them; everything else stays on the system's suite.
 */
final class BuilderPackages {
    static final String E2FSPROGS = "e2fsprogs";
    static final DebianVersion MINIMUM_E2FSPROGS = DebianVersion.parse("1.47.1");

    private BuilderPackages() {
    }

    static ResolvedClosure resolve(DebianArchive archive, List<PackageSource> sources) {
        ResolvedClosure base = archive.resolve(new ResolveRequest(sources, BuilderInitramfs.PACKAGES,
                BuilderEnvironment.KERNEL, Base.MINIMAL, false));
        ResolvedPackage e2fsprogs = base.find(E2FSPROGS);
        if (e2fsprogs != null && e2fsprogs.version().compareTo(MINIMUM_E2FSPROGS) >= 0) {
            return base;
        }
        List<PackageSource> backports = backports(sources);
        String found = e2fsprogs == null ? "none" : e2fsprogs.version().toString();
        if (backports.isEmpty()) {
            throw tooOld(found, "and none of its suites has a -backports suite to take it from");
        }
        List<PackageSource> withBackports = new ArrayList<>(backports);
        withBackports.addAll(sources);
        ResolvedClosure newer;
        try {
            newer = archive.resolve(new ResolveRequest(withBackports, List.of(E2FSPROGS), null, Base.MINIMAL, false));
        } catch (BuildException e) {
            throw tooOld(found, "and reading " + backports + " failed: " + e.getMessage());
        }
        ResolvedPackage backported = newer.find(E2FSPROGS);
        if (backported == null || backported.version().compareTo(MINIMUM_E2FSPROGS) < 0) {
            throw tooOld(found, "and " + backports + " offer " + (backported == null ? "none" : backported.version()));
        }
        return merge(base, newer, withBackports);
    }

    /** {@code base} with the packages of {@code override} in place of (or beside) those of the same name. */
    static ResolvedClosure merge(ResolvedClosure base, ResolvedClosure override, List<PackageSource> sources) {
        Map<String, ResolvedPackage> byName = new TreeMap<>();
        base.packages().forEach(p -> byName.put(p.name(), p));
        override.packages().forEach(p -> byName.put(p.name(), p));
        return new ResolvedClosure(List.copyOf(byName.values()), sources);
    }

    /** SUITE-backports on the same mirror for each source naming a release (not its -updates or -security). */
    static List<PackageSource> backports(List<PackageSource> sources) {
        List<PackageSource> backports = new ArrayList<>();
        for (PackageSource s : sources) {
            if (!s.suite().contains("-") && !s.suite().contains("/")) {
                PackageSource b = new PackageSource(s.mirror(), s.suite() + "-backports", s.components(),
                        s.architecture(), s.keyring());
                if (!backports.contains(b)) {
                    backports.add(b);
                }
            }
        }
        return backports;
    }

    private static BuildException tooOld(String found, String why) {
        return new BuildException("The builder VM needs e2fsprogs " + MINIMUM_E2FSPROGS + " or later (its mke2fs"
                + " honours SOURCE_DATE_EPOCH, which makes the image reproducible); the <distribution>'s sources offer "
                + found + ", " + why + ". Use a <mirror> that also carries the suite's backports"
                + " (http://deb.debian.org/debian does), or a suite whose e2fsprogs is recent enough (trixie).");
    }
}
