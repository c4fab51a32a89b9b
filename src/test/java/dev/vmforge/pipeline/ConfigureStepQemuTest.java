package dev.vmforge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.debian.Base;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolveRequest;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TestDeb;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Store;
import dev.vmforge.vm.Accelerator;
import dev.vmforge.vm.BuilderVm;
import dev.vmforge.vm.QemuInstallation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the configure step for real: Debian's Essential set (from the archive, so also needs the network or a
 * warm cache) plus a fixture package, in the builder VM under TCG.
 */
@EnabledIfSystemProperty(named = "vm.test.qemu", matches = "true")
class ConfigureStepQemuTest {
    @TempDir
    Path dir;

    private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "vm-maven-plugin");

    @Test
    void aFailingPostinstNamesThePackageAndShowsItsOutput() throws Exception {
        Path broken = new TestDeb()
                .control("Package: vmforge-broken\nVersion: 1.0\nArchitecture: all\nMaintainer: T <t@example.org>\n"
                        + "Description: fails to configure\n")
                .controlFile("postinst", "#!/bin/sh\necho \"vmforge-broken: cannot set up the widget ($1)\"\nexit 1\n")
                .writeTo(dir.resolve("broken.deb"));
        Fixture f = new Fixture(dir);
        List<Path> debs = new ArrayList<>(f.essentialDebs);
        debs.add(broken);
        BuildException e = assertThrows(BuildException.class, () -> f.step.realize(
                DerivationKey.builder("test-broken").add("dir", dir.toString()).build(), () -> debs, f.boot, f.vm));
        String message = e.getMessage();
        System.out.println(message);
        assertTrue(message.contains("package vmforge-broken failed"), message);
        assertTrue(message.contains("vmforge-broken: cannot set up the widget (configure)"), message);
    }

    @Test
    void theEssentialSetConfiguresAndComesBackAsATree() throws Exception {
        Fixture f = new Fixture(dir);
        Path tar = f.step.realize(DerivationKey.builder("test-essential").add("dir", dir.toString()).build(),
                () -> f.essentialDebs, f.boot, f.vm);
        FileTree tree = ConfigureStep.read(tar);
        String status = new String(tree.get("var/lib/dpkg/status").orElseThrow().content().readAllBytes(),
                StandardCharsets.UTF_8);
        assertTrue(status.contains("Status: install ok installed"), status);
        assertTrue(!status.contains("install ok unpacked"), "every package is configured");
        assertTrue(tree.get("etc/passwd").isPresent(), "base-passwd's postinst wrote /etc/passwd");
        assertTrue(tree.get("usr/sbin/policy-rc.d").isEmpty(), "policy-rc.d is removed after configuration");
        System.out.println("configure VM run: " + f.step.lastRun.wallTime());
    }

    /** Debian's Essential set resolved from the archive, the builder VM and a configure step on a fresh store. */
    static final class Fixture {
        final List<Path> essentialDebs = new ArrayList<>();
        final ConfigureStep step;
        final java.util.function.Supplier<BuilderEnvironment.BootFiles> boot;
        final java.util.function.Supplier<BuilderVm> vm;

        Fixture(Path dir) {
            BuildLog log = BuildLog.console();
            DebianArchive archive = new DebianArchive(CACHE, false, log);
            List<PackageSource> sources = List.of(new PackageSource(java.net.URI.create("http://deb.debian.org/debian"), "bookworm",
                    List.of("main"), "amd64", null));
            ResolvedClosure closure = archive.resolve(new ResolveRequest(sources, List.of(), null, Base.ESSENTIAL, false));
            PackageSelection packages = new PackageSelection(archive, log);
            Map<ResolvedPackage, Path> files = packages.download(closure);
            closure.packages().forEach(p -> essentialDebs.add(files.get(p)));
            Store shared = new Store(CACHE.resolve("store"));
            BuilderEnvironment builder = new BuilderEnvironment(archive, packages, shared, log);
            BuilderEnvironment.Plan plan = builder.plan(sources);
            boot = () -> builder.realize(plan);
            vm = () -> new BuilderVm(QemuInstallation.locate(null), Accelerator.TCG, log);
            BuildContext context = new BuildContext(dir, dir.resolve("target"), "test", CACHE, false, 1_700_000_000L,
                    Optional.empty(), Duration.ofMinutes(10), "tcg", Optional.empty(), log);
            step = new ConfigureStep(context, new Store(dir.resolve("store")));
        }
    }
}
