package dev.vmforge.pipeline;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.Sha256;
import dev.vmforge.debian.Base;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.DebianVersion;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolveRequest;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TestDeb;
import dev.vmforge.store.Realizer;
import dev.vmforge.store.Store;
import dev.vmforge.vm.Accelerator;
import dev.vmforge.vm.BuilderInitramfs;
import dev.vmforge.vm.BuilderVm;
import dev.vmforge.vm.QemuInstallation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the configure step for real: Debian's Essential set (from the archive, so also needs the network or a
 * warm cache) plus a fixture package, in the builder VM under TCG.
 */
@EnabledIfSystemProperty(named = "vm.test.qemu", matches = "true")
class ConfiguredSystemQemuTest {
    @TempDir
    Path dir;

    private static final Path CACHE = HelloSystem.sharedCache();

    @Test
    void aFailingPostinstNamesThePackageAndShowsItsOutput() throws Exception {
        Path broken = new TestDeb()
                .control("Package: vmforge-broken\nVersion: 1.0\nArchitecture: all\nMaintainer: T <t@example.org>\n"
                        + "Description: fails to configure\n")
                .controlFile("postinst", "#!/bin/sh\necho \"vmforge-broken: cannot set up the widget ($1)\"\nexit 1\n")
                .writeTo(dir.resolve("broken.deb"));
        Fixture f = new Fixture(dir);
        List<ResolvedPackage> packages = new ArrayList<>(f.essential.packages());
        packages.add(f.cached(broken, "vmforge-broken"));
        ResolvedClosure closure = new ResolvedClosure(packages, f.essential.sources());
        BuildException e = assertThrows(BuildException.class,
                () -> f.realizer.realize(new ConfiguredSystem(closure, f.builder, f.time, f.tools)));
        String message = e.getMessage();
        System.out.println(message);
        assertTrue(message.contains("package vmforge-broken failed"), message);
        assertTrue(message.contains("vmforge-broken: cannot set up the widget (configure)"), message);
    }

    @Test
    void theEssentialSetConfiguresAndComesBackAsATree() throws Exception {
        Fixture f = new Fixture(dir);
        long start = System.nanoTime();
        Path tar = f.realizer.realize(new ConfiguredSystem(f.essential, f.builder, f.time, f.tools));
        FileTree tree = ConfiguredSystem.tree(tar);
        String status = new String(tree.get("var/lib/dpkg/status").orElseThrow().content().readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(status.contains("Status: install ok installed"), status);
        assertTrue(!status.contains("install ok unpacked"), "every package is configured");
        assertTrue(tree.get("etc/passwd").isPresent(), "base-passwd's postinst wrote /etc/passwd");
        assertTrue(tree.get("usr/sbin/policy-rc.d").isEmpty(), "policy-rc.d is removed after configuration");
        System.out.printf("configure step: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Debian's Essential set resolved from the archive, the builder VM, a realizer on a fresh project store. */
    static final class Fixture {
        final ResolvedClosure essential;
        final BuilderEnvironment builder;
        final Tools tools;
        final Realizer realizer;
        final DebianArchive archive;
        /** A time no earlier run used, so the configured system is built here rather than found in the cache. */
        final long time = 1_700_000_000L + System.nanoTime() % 1_000_000;

        Fixture(Path dir) {
            BuildLog log = BuildLog.console();
            archive = new DebianArchive(CACHE, false, log);
            List<PackageSource> sources = List.of(new PackageSource(URI.create("http://deb.debian.org/debian"),
                    "bookworm", List.of("main"), "amd64", null));
            essential = archive.resolve(new ResolveRequest(sources, List.of(), null, Base.ESSENTIAL, false));
            BuildContext context = new BuildContext(dir, dir.resolve("target"), "test", CACHE, false, time,
                    Optional.empty(), Duration.ofMinutes(10), Duration.ofMinutes(5), "tcg", false, Optional.empty(), log);
            tools = new Tools(context, new PackageFiles(archive, log),
                    () -> new BuilderVm(QemuInstallation.locate(null), Accelerator.TCG, log), () -> null);
            builder = new BuilderEnvironment(archive.resolve(new ResolveRequest(sources, BuilderInitramfs.PACKAGES,
                    BuilderEnvironment.KERNEL, Base.MINIMAL, false)), tools);
            realizer = new Realizer(new Store(CACHE.resolve("store"), log), new Store(dir.resolve("store"), log), log,
                    false);
        }

        /** A local .deb as a package of the closure: put in the download cache under its SHA-256. */
        ResolvedPackage cached(Path deb, String name) throws Exception {
            String sha256 = Sha256.ofFile(deb);
            ResolvedPackage p = new ResolvedPackage(name, DebianVersion.parse("1.0"), "all", sha256, Files.size(deb),
                    "pool/" + name + ".deb", URI.create("http://deb.debian.org/debian/"), false, "optional");
            Files.createDirectories(archive.cachedDeb(p).getParent());
            Files.copy(deb, archive.cachedDeb(p), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return p;
        }
    }
}
