package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.Sha256;
import dev.vmforge.os.ImageSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Goals at the same time on one shared cache, as {@code mvn -T} or two CI jobs run them: in one project a qcow2 and
 * a raw image (one root file system, built once, two builder VMs) and the Docker image, and the Docker image of a
 * second project. All succeed; the Docker archives equal a build made alone; no work file is left.
 */
@EnabledIfSystemProperty(named = "vm.test.qemu", matches = "true")
class ConcurrentBuildsLiveTest {
    @TempDir
    Path dir;


    @Test
    void goalsOfOneProjectAndOfTwoProjectsRunTogether() throws Exception {
        Path one = Files.createDirectories(dir.resolve("one"));
        Path two = Files.createDirectories(dir.resolve("two"));
        ImageSpec qcow2 = HelloSystem.reader(one).readImage(null);
        List<Callable<Path>> goals = List.of(
                () -> goal(one, e -> e.buildImage(HelloSystem.operatingSystem(one), qcow2)),
                () -> goal(one, e -> e.buildImage(HelloSystem.operatingSystem(one), qcow2.withFormat(ImageSpec.Format.RAW))),
                () -> goal(one, e -> e.buildDockerImage(HelloSystem.operatingSystem(one), HelloSystem.reader(one).readDocker(null))),
                () -> goal(two, e -> e.buildDockerImage(HelloSystem.operatingSystem(two), HelloSystem.reader(two).readDocker(null))));
        ExecutorService pool = Executors.newFixedThreadPool(goals.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Path>> results = new ArrayList<>();
        for (Callable<Path> goal : goals) {
            results.add(pool.submit(() -> {
                start.await();
                return goal.call();
            }));
        }
        start.countDown();
        List<Path> outputs = new ArrayList<>();
        for (Future<Path> result : results) {
            outputs.add(result.get(20, TimeUnit.MINUTES));
        }
        pool.shutdown();

        assertEquals(one.resolve("target/hello-1.0.qcow2"), outputs.get(0));
        assertEquals(one.resolve("target/hello-1.0.img"), outputs.get(1));
        check("qemu-img", "check", outputs.get(0).toString());
        check("sfdisk", "--verify", outputs.get(1).toString());
        Path alone = Files.createDirectories(dir.resolve("alone"));
        String serial = Sha256.ofFile(goal(alone, e -> e.buildDockerImage(HelloSystem.operatingSystem(alone),
                HelloSystem.reader(alone).readDocker(null))));
        assertEquals(serial, Sha256.ofFile(outputs.get(2)), "the first project's Docker image");
        assertEquals(serial, Sha256.ofFile(outputs.get(3)), "the second project's Docker image");
        for (Path project : List.of(one, two)) {
            Path work = project.resolve("target/vm/tmp");
            if (Files.isDirectory(work)) {
                try (Stream<Path> left = Files.list(work)) {
                    assertEquals(List.of(), left.toList(), "work folders left in " + project);
                }
            }
        }
    }

    private static void check(String... command) throws Exception {
        Process check = new ProcessBuilder(command).redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes());
        assertEquals(0, check.waitFor(), String.join(" ", command) + ": " + report);
    }

    /** One goal as a mojo runs it: its own engine, closed at the end. */
    private static Path goal(Path project, Function<Engine, Path> goal) {
        try (Engine engine = new Engine(new BuildContext(project, project.resolve("target"), "hello-1.0",
                HelloSystem.sharedCache(), false, 1, Optional.empty(), Duration.ofMinutes(15), Duration.ofMinutes(5),
                "auto", false, Optional.empty(), BuildLog.console()))) {
            return goal.apply(engine);
        }
    }
}
