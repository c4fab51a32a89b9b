package dev.vmforge.bench;

import dev.vmforge.BuildLog;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.pipeline.BuildContext;
import dev.vmforge.pipeline.Engine;
import dev.vmforge.pipeline.HelloSystem;
import dev.vmforge.fs.HostFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vm:build-image on the hello system with the packages already cached: a clean-target build, the
 * builder VM's share of it, and an unchanged rebuild as a ratio of the clean one.
 * Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.vmforge.bench.ImageBenchmark}
 */
public final class ImageBenchmark {
    public static void main(String[] args) throws Exception {
        Path project = Files.createTempDirectory("vm-image-bench");
        Path cache = Path.of(System.getProperty("vm.cacheDirectory",
                System.getProperty("user.home") + "/.cache/vm-maven-plugin"));
        OperatingSystem os = HelloSystem.operatingSystem(project);
        var image = HelloSystem.reader(project).readImage(null);

        // warm-up: packages and the builder environment in the shared cache, as a user's second project has
        build(project, cache, os, image, BuildLog.silent());

        HostFiles.deleteRecursively(project.resolve("target"));
        TimingLog clean = new TimingLog();
        double cleanSeconds = build(project, cache, os, image, clean);
        TimingLog rebuild = new TimingLog();
        double rebuildSeconds = build(project, cache, os, image, rebuild);

        double vm = clean.builderVmSeconds();
        System.out.printf(Locale.ROOT, "clean-target build:   %6.1f s%n", cleanSeconds);
        System.out.printf(Locale.ROOT, "  builder VM:         %6.1f s (%.0f %% of the build)%n", vm, 100 * vm / cleanSeconds);
        System.out.printf(Locale.ROOT, "  other steps:        %s%n", clean.steps);
        System.out.printf(Locale.ROOT, "unchanged rebuild:    %6.1f s = %.3f x the clean build (goal <= 0.2)%n",
                rebuildSeconds, rebuildSeconds / cleanSeconds);
        System.out.printf(Locale.ROOT, "  steps:              %s%n", rebuild.steps);
        HostFiles.deleteRecursively(project);
    }

    static double build(Path project, Path cache, OperatingSystem os, dev.vmforge.os.ImageSpec image,
                                BuildLog log) {
        long start = System.nanoTime();
        try (Engine engine = new Engine(new BuildContext(project, project.resolve("target"), "hello-1.0", cache, false,
                1, Optional.empty(), Duration.ofMinutes(10), Duration.ofMinutes(5), "auto", false, Optional.empty(), log))) {
            engine.buildImage(os, image);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Collects the engine's step lines and the builder VM's own time. */
    static final class TimingLog implements BuildLog {
        private static final Pattern VM_DONE = Pattern.compile("builder VM '.*': done in ([0-9.]+) s");
        final StringBuilder steps = new StringBuilder();
        private double vmSeconds;

        double builderVmSeconds() {
            return vmSeconds;
        }

        @Override
        public void info(String message) {
            Matcher m = VM_DONE.matcher(message);
            if (m.find()) {
                vmSeconds += Double.parseDouble(m.group(1));
            } else if (message.endsWith(" s)")) {
                steps.append(message.replaceAll("\\s+", " ")).append("; ");
            }
        }

        @Override public void warn(String message) { }
        @Override public void debug(String message) { }
        @Override public boolean isDebugEnabled() { return false; }
    }
}
