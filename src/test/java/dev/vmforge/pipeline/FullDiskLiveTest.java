package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * vm:build-image of the hello system with {@code target/} or the shared cache on a small tmpfs: the build fails
 * within seconds naming the full directory, what it needed and what is left, and leaves nothing half-written.
 * Mounting a tmpfs needs root (CI runs as root); elsewhere the test is skipped.
 */
@EnabledIfSystemProperty(named = "vm.test.qemu", matches = "true")
class FullDiskLiveTest {
    @TempDir
    Path dir;


    @Test
    void aTargetTooSmallForTheRootFileSystemFailsAtOnce() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path target = mountTmpfs(project.resolve("target"), 64);
        try {
            BuildException e = buildFails(project, HelloSystem.sharedCache());
            assertTrue(e.getMessage().contains("the disk holding " + target), e.getMessage());
            assertTrue(e.getMessage().contains("left"), e.getMessage());
            assertNothingHalfWritten(target);
        } finally {
            unmount(target);
        }
    }

    /** The root file system fits, the image would not: refused before the builder VM starts. */
    @Test
    void aTargetTooSmallForTheImageFailsBeforeTheBuilderVmStarts() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path target = mountTmpfs(project.resolve("target"), 150);
        try {
            BuildException e = buildFails(project, HelloSystem.sharedCache());
            assertTrue(e.getMessage().contains("the disk holding " + target.resolve("vm/store") + " is full"), e.getMessage());
            assertTrue(e.getMessage().contains("the system image needs about"), e.getMessage());
            assertNothingHalfWritten(target);
        } finally {
            unmount(target);
        }
    }

    @Test
    void aCacheTooSmallForThePackagesFailsNamingIt() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path cache = mountTmpfs(dir.resolve("cache"), 40);
        try {
            BuildException e = buildFails(project, cache);
            assertTrue(e.getMessage().contains("the disk holding " + cache), e.getMessage());
            try (Stream<Path> files = Files.walk(cache)) {
                assertEquals(List.of(), files.filter(f -> f.getFileName().toString().endsWith(".part")).toList(),
                        "no partial download left");
            }
        } finally {
            unmount(cache);
        }
    }

    private BuildException buildFails(Path project, Path cache) {
        BuildContext context = new BuildContext(project, project.resolve("target"), "hello-1.0", cache, false, 1,
                Optional.empty(), Duration.ofMinutes(10), Duration.ofMinutes(5), "tcg", false, Optional.empty(), BuildLog.console());
        long start = System.nanoTime();
        BuildException e = assertThrows(BuildException.class, () -> {
            try (Engine engine = new Engine(context)) { // an open engine holds a file in the cache: umount fails
                engine.buildImage(HelloSystem.operatingSystem(project), HelloSystem.reader(project).readImage(null));
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("failed after %.1f s: %s%n", seconds, e.getMessage());
        assertTrue(seconds < 30, "a full disk is reported within seconds, not at a time limit: " + seconds + " s");
        return e;
    }

    /** No image in target/, no store entry, no temporary entry, no work folder. */
    private static void assertNothingHalfWritten(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(target)) {
            List<String> left = files.filter(Files::isRegularFile).map(f -> target.relativize(f).toString())
                    .filter(f -> !f.startsWith("vm/store/.locks/") && !f.startsWith("vm/logs/"))
                    .filter(f -> !f.matches("vm/store/[0-9a-f]{32}-rootfs/.*")) // a whole, valid entry may stay
                    .toList();
            assertEquals(List.of(), left);
        }
    }

    private static Path mountTmpfs(Path directory, int mebibytes) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        Files.createDirectories(directory);
        run("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m", "tmpfs", directory.toString());
        return directory;
    }

    private static void unmount(Path directory) throws Exception {
        run("umount", directory.toString());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + output);
    }
}
