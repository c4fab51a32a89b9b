package dev.vmforge.pipeline;

import dev.vmforge.debian.DebianVersion;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuilderPackagesTest {
    static final URI MIRROR = URI.create("http://deb.debian.org/debian/");

    static PackageSource source(String suite) {
        return new PackageSource(MIRROR, suite, List.of("main"), "amd64", null);
    }

    static ResolvedPackage pkg(String name, String version) {
        return new ResolvedPackage(name, DebianVersion.parse(version), "amd64", "0".repeat(64), 1, "pool/" + name + ".deb",
                MIRROR, false, "");
    }

    @Test
    void backportsAreTakenFromTheSameMirrorForReleasesOnly() {
        List<PackageSource> backports = BuilderPackages.backports(List.of(source("bookworm"), source("bookworm-updates"),
                source("bookworm-security"), source("bookworm")));
        assertEquals(List.of(source("bookworm-backports")), backports);
        assertEquals(List.of(), BuilderPackages.backports(List.of(source("bookworm-backports"))));
    }

    @Test
    void theBackportedPackagesReplaceTheirNamesakesAndBringTheirOwnLibraries() {
        ResolvedClosure base = new ResolvedClosure(List.of(pkg("busybox-static", "1:1.35.0-4"),
                pkg("e2fsprogs", "1.47.0-2+b2"), pkg("libc6", "2.36-9"), pkg("libext2fs2", "1.47.0-2+b2")),
                List.of(source("bookworm")));
        ResolvedClosure backported = new ResolvedClosure(List.of(pkg("e2fsprogs", "1.47.2-3~bpo12+1"),
                pkg("libc6", "2.36-9"), pkg("libext2fs2", "1.47.2-3~bpo12+1"), pkg("libss2", "1.47.2-3~bpo12+1")),
                List.of(source("bookworm-backports"), source("bookworm")));
        ResolvedClosure merged = BuilderPackages.merge(base, backported, backported.sources());
        assertEquals(List.of("busybox-static 1:1.35.0-4", "e2fsprogs 1.47.2-3~bpo12+1", "libc6 2.36-9",
                        "libext2fs2 1.47.2-3~bpo12+1", "libss2 1.47.2-3~bpo12+1"),
                merged.packages().stream().map(p -> p.name() + " " + p.version()).toList());
        assertEquals(backported.sources(), merged.sources());
    }

    @Test
    void e2fsprogs1471IsTheFirstThatClampsTimes() {
        assertTrue(DebianVersion.parse("1.47.0-2+b2").compareTo(BuilderPackages.MINIMUM_E2FSPROGS) < 0);
        assertTrue(DebianVersion.parse("1.47.2-3~bpo12+1").compareTo(BuilderPackages.MINIMUM_E2FSPROGS) > 0);
        assertTrue(DebianVersion.parse("1.47.1~rc1-1").compareTo(BuilderPackages.MINIMUM_E2FSPROGS) < 0);
    }
}
