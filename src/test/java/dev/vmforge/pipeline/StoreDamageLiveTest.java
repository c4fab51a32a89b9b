package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged cache entries met by a real build (the hello system's Docker image, real packages, no VM): a zeroed
 * range in the cached configured system, a damaged cached .deb, a deleted layer file. Each time the build warns
 * naming what it discards, rebuilds or downloads it again, and writes the same bytes as a clean build.
 */
@EnabledIfSystemProperty(named = "vm.test.live", matches = "true")
class StoreDamageLiveTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    @Test
    void damagedEntriesAndPackagesAreRebuiltOrFetchedAgainAndGiveTheCleanBuildsBytes() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path cache = dir.resolve("cache");
        String clean = Sha256.ofFile(build(project, cache));

        // a zeroed range in the configured system (same size: only the bytes tell), read again after mvn clean
        Path configured = entry(cache.resolve("store"), "-configured").resolve(ConfiguredSystem.OUTPUT);
        zero(configured, Files.size(configured) / 2, 4096);
        deleteTarget(project);
        assertEquals(clean, Sha256.ofFile(build(project, cache)), "rebuilt from a damaged configured system");
        assertWarned("Discarding the store entry", configured.getParent().getFileName().toString());

        // a damaged .deb in the download cache (same size: only its SHA-256 tells), met when the configured system
        // is built again
        Path deb = cachedDeb(cache.resolve("debs"), "busybox-static");
        zero(deb, Files.size(deb) / 2, 4096);
        Files.delete(entry(cache.resolve("store"), "-configured").resolve(".manifest"));
        deleteTarget(project);
        assertEquals(clean, Sha256.ofFile(build(project, cache)), "rebuilt with the package fetched again");
        assertWarned("Discarding the cached package", deb.getFileName().toString());

        // the system layer's file deleted from the project store; the published image deleted with it
        Path layer = entry(project.resolve("target/vm/store"), "-system-layer");
        Files.delete(layer.resolve("layer.tar.gz"));
        Files.delete(project.resolve("target/hello-1.0-docker.tar"));
        assertEquals(clean, Sha256.ofFile(build(project, cache)), "rebuilt with the layer made again");
        assertWarned("Discarding the store entry", layer.getFileName().toString());
    }

    private Path build(Path project, Path cache) {
        warnings.clear();
        BuildLog log = new BuildLog() {
            @Override public void info(String message) { }
            @Override public void warn(String message) { warnings.add(message); }
            @Override public void debug(String message) { }
            @Override public boolean isDebugEnabled() { return false; }
        };
        BuildContext context = new BuildContext(project, project.resolve("target"), "hello-1.0", cache, false, 1,
                Optional.empty(), Duration.ofMinutes(10), Duration.ofMinutes(5), "auto", false, Optional.empty(), log);
        try (Engine engine = new Engine(context)) {
            return engine.buildDockerImage(HelloSystem.operatingSystem(project), HelloSystem.reader(project).readDocker(null));
        }
    }

    private void assertWarned(String what, String naming) {
        assertTrue(warnings.stream().anyMatch(w -> w.contains(what) && w.contains(naming)),
                "expected a warning '" + what + "' naming " + naming + ": " + warnings);
    }

    private static Path entry(Path store, String suffix) throws IOException {
        try (Stream<Path> entries = Files.list(store)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    private static Path cachedDeb(Path directory, String packageName) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path deb : files.filter(p -> p.toString().endsWith(".deb")).toList()) {
                if (dev.vmforge.fs.DebPackage.read(deb).name().equals(packageName)) {
                    return deb;
                }
            }
        }
        throw new AssertionError(packageName + " is not in " + directory);
    }

    private static void deleteTarget(Path project) throws IOException {
        dev.vmforge.fs.HostFiles.deleteRecursively(project.resolve("target"));
    }

    private static void zero(Path file, long from, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(from);
            f.write(new byte[length]);
        }
    }
}
