package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.os.pom.ImageConfig;
import dev.vmforge.vm.FakeQemu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * vm:build-image's failure paths with the real packages but a fake QEMU: each gives its clear error and
 * leaves neither the image in target/ nor a disk in the store.
 */
@EnabledIfSystemProperty(named = "vm.test.live", matches = "true")
class DiskImageFailuresLiveTest {
    @TempDir
    Path project;


    private BuildContext context(Optional<Path> qemu, Duration timeout) {
        return new BuildContext(project, project.resolve("target"), "hello-1.0", HelloSystem.sharedCache(), false, 1,
                qemu, timeout, Duration.ofMinutes(5), "tcg", false, Optional.empty(), BuildLog.silent());
    }

    private Path build(BuildContext context, ImageSpec image) {
        try (Engine engine = new Engine(context)) {
            return engine.buildImage(HelloSystem.operatingSystem(project), image);
        }
    }

    private ImageSpec defaultImage() {
        return HelloSystem.reader(project).readImage(null);
    }

    @Test
    void missingQemuSaysHowToInstallIt() throws IOException {
        Path empty = Files.createDirectories(project.resolve("no-qemu"));
        BuildException e = assertThrows(BuildException.class,
                () -> build(context(Optional.of(empty), Duration.ofMinutes(1)), defaultImage()));
        assertTrue(e.getMessage().contains("apt-get install qemu-system-x86"), e.getMessage());
        assertTrue(e.getMessage().contains("<qemu>"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void failingBuilderScriptNamesTheStepAndTheLog() throws IOException {
        FakeQemu.install(project.resolve("qemu"), String.join("\n",
                "echo 'mke2fs: Could not allocate block in ext2 filesystem'",
                "echo 3 > \"$GUEST/.exit-status\""));
        BuildException e = assertThrows(BuildException.class,
                () -> build(context(Optional.of(project.resolve("qemu")), Duration.ofMinutes(1)), defaultImage()));
        assertTrue(e.getMessage().contains("step 'build-image' failed with exit status 3"), e.getMessage());
        assertTrue(e.getMessage().contains("Could not allocate block"), "the log's last lines are shown: " + e.getMessage());
        assertTrue(e.getMessage().contains(project.resolve("target/vm/logs/build-image-").toString()), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void hangingGuestIsStoppedAtTheTimeLimit() throws IOException {
        FakeQemu.install(project.resolve("qemu"), "exec sleep 120");
        long start = System.nanoTime();
        BuildException e = assertThrows(BuildException.class,
                () -> build(context(Optional.of(project.resolve("qemu")), Duration.ofSeconds(2)), defaultImage()));
        assertTrue(e.getMessage().contains("exceeded its time limit of 2 s"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 100, "the hang did not block the build");
        assertNothingLeft();
    }

    @Test
    void tooSmallSizeSaysTheSizeNeeded() {
        ImageConfig config = new ImageConfig();
        config.size = "64M";
        ImageSpec small = HelloSystem.reader(project).readImage(config);
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> build(context(Optional.empty(), Duration.ofMinutes(1)), small));
        assertEquals("image/size", e.element());
        assertTrue(e.getMessage().contains("too small") && e.getMessage().matches("(?s).*at least \\d+ MiB.*"),
                e.getMessage());
        assertNothingLeft();
    }

    private void assertNothingLeft() {
        assertFalse(Files.exists(project.resolve("target/hello-1.0.qcow2")), "no image in target/");
        Path store = project.resolve("target/vm/store");
        if (Files.isDirectory(store)) {
            try (Stream<Path> entries = Files.list(store)) {
                entries.forEach(p -> assertFalse(p.getFileName().toString().contains("disk"),
                        "no disk image (finished or half-written) in the store: " + p));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
