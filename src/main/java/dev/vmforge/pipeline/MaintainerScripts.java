package dev.vmforge.pipeline;

import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.DebPackage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Which packages need dpkg to configure them: those shipping preinst, postinst or config scripts. */
final class MaintainerScripts {
    private static final List<String> CONFIGURE_SCRIPTS = List.of("preinst", "postinst", "config");

    private MaintainerScripts() {
    }

    /** Names of the closure's packages with scripts; the kernel's are left out (the plugin does their work). */
    static List<String> packagesWithScripts(DebianArchive archive, ResolvedClosure closure, String kernel) {
        Map<ResolvedPackage, Path> debs = archive.download(closure.packages());
        List<String> names = new ArrayList<>();
        for (ResolvedPackage p : closure.packages()) {
            if (BuilderEnvironment.isKernel(p) || p.name().equals(kernel)) {
                continue;
            }
            if (hasScripts(debs.get(p))) {
                names.add(p.name());
            }
        }
        return names;
    }

    static boolean hasScripts(Path deb) {
        try {
            return hasScripts(DebPackage.read(deb));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + deb, e);
        }
    }

    static boolean hasScripts(DebPackage deb) {
        return deb.maintainerScripts().keySet().stream().anyMatch(CONFIGURE_SCRIPTS::contains);
    }
}
