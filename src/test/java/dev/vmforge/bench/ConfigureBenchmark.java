package dev.vmforge.bench;

import dev.vmforge.configure.DpkgLogTimes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times src/examples/java-http's disk image four ways, in one invocation, with Maven as a user runs it:
 * <ol>
 *   <li>cold, as before the builder turned address randomization off: a shared store of its own (the downloaded
 *       .debs and indices linked in), {@code -Dvm.builderKernelArguments=sysctl.kernel.randomize_va_space=2};
 *       the reference for the configure step (dpkg --configure -a of openjdk-17-jre-headless and its closure in
 *       the TCG builder VM);</li>
 *   <li>cold: another store of its own, so the configure step runs as it does now;</li>
 *   <li>clean target: {@code mvn clean package vm:build-image} with that store warm;</li>
 *   <li>a one-line code change: Main.java edited, {@code mvn package vm:build-image}.</li>
 * </ol>
 * Prints each wall time, what each step did and took, the configure step's time with and without address
 * randomization and the ten slowest maintainer scripts of each (from dpkg's log), and the ratios: after a code
 * change only the application partition and the final image copy are made again.
 * Needs the plugin installed ({@code mvn install -DskipTests}), QEMU and the network or a warm cache.
 * Run: {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.vmforge.bench.ConfigureBenchmark
 * [EXAMPLE-DIR]}
 */
public final class ConfigureBenchmark {
    /** Turns address randomization back on in the builder (the kernel applies sysctl.* arguments after norandmaps). */
    private static final String RANDOMIZE = "sysctl.kernel.randomize_va_space=2";

    public static void main(String[] args) throws Exception {
        Path example = Path.of(args.length > 0 ? args[0] : "src/examples/java-http").toAbsolutePath();
        Path work = Files.createTempDirectory("vmforge-configure-bench");
        Path main = example.resolve("src/main/java/dev/vmforge/examples/http/Main.java");
        String original = Files.readString(main, StandardCharsets.UTF_8);
        try {
            Path randomizedCache = MavenRun.cacheWithDownloads(work.resolve("randomized"));
            MavenRun randomized = mvn(example, randomizedCache, "-Dvm.builderKernelArguments=" + RANDOMIZE, "clean",
                    "package", "vm:build-image");
            String randomizedDpkgLog = dpkgLog(example.resolve("target/vm/logs")); // before the next clean removes it
            MavenRun.deleteTree(randomizedCache);
            Path cache = MavenRun.cacheWithDownloads(work.resolve("cache"));
            MavenRun cold = mvn(example, cache, "clean", "package", "vm:build-image");
            String dpkgLog = dpkgLog(example.resolve("target/vm/logs"));
            MavenRun cleanTarget = mvn(example, cache, "clean", "package", "vm:build-image");
            MavenRun docker = mvn(example, cache, "package", "vm:build-docker-image");
            Files.writeString(main, original.replace("Hello from java-http", "Hello again from java-http"),
                    StandardCharsets.UTF_8);
            MavenRun codeChange = mvn(example, cache, "package", "vm:build-image");
            MavenRun dockerChange = mvn(example, cache, "package", "vm:build-docker-image");
            print("cold, address randomization", randomized, randomized);
            printSlowestMaintainerScripts(randomizedDpkgLog, 10);
            print("cold (configure runs)", cold, randomized);
            printSlowestMaintainerScripts(dpkgLog, 10);
            double configure = cold.stepSeconds("Configuring packages");
            double configureRandomized = randomized.stepSeconds("Configuring packages");
            System.out.printf(Locale.ROOT, "configure step: %.1f s, with address randomization %.1f s: %.2f x"
                    + " (goal: <= 90 s); cold build %.2f x%n", configure, configureRandomized,
                    configure / configureRandomized, cold.seconds() / randomized.seconds());
            print("clean target, warm store", cleanTarget, cold);
            print("one-line code change", codeChange, cold);
            System.out.printf(Locale.ROOT, "code change / clean target: %.2f; code change / cold: %.2f%n",
                    codeChange.seconds() / cleanTarget.seconds(), codeChange.seconds() / cold.seconds());
            System.out.printf(Locale.ROOT, "docker image, system and application layers: %.1f s (%s)%n",
                    docker.seconds(), docker.step("Docker image"));
            System.out.printf(Locale.ROOT, "docker image after the code change (system layer from its cache): %.1f s (%s)"
                    + " = %.2f of the first%n", dockerChange.seconds(), dockerChange.step("Docker image"),
                    dockerChange.seconds() / docker.seconds());
        } finally {
            Files.writeString(main, original, StandardCharsets.UTF_8);
            MavenRun.deleteTree(work);
        }
    }

    /** dpkg's log of the configure step, which the plugin keeps beside the builder VM's log; null without one. */
    static String dpkgLog(Path logs) throws IOException {
        if (!Files.isDirectory(logs)) {
            return null;
        }
        try (var files = Files.list(logs)) {
            Path log = files.filter(f -> f.getFileName().toString().matches("configure-.*-dpkg\\.log"))
                    .findFirst().orElse(null);
            return log == null ? null : Files.readString(log, StandardCharsets.UTF_8);
        }
    }

    /**
     * Where the configure step's time went: dpkg's own log of the configure step (one line per configure and
     * trigger run, to the second), each action lasting until the next one starts.
     */
    static void printSlowestMaintainerScripts(String log, int count) {
        if (log == null) {
            System.out.println("    (no dpkg log of the configure step in target/vm/logs)");
            return;
        }
        List<DpkgLogTimes.Action> actions = DpkgLogTimes.parse(log);
        System.out.printf(Locale.ROOT, "    dpkg --configure -a: %d s for %d actions; the slowest:%n",
                actions.stream().mapToLong(DpkgLogTimes.Action::seconds).sum(), actions.size());
        for (DpkgLogTimes.Action a : DpkgLogTimes.slowest(actions, count)) {
            System.out.printf(Locale.ROOT, "      %4d s  %s%n", a.seconds(), a.what());
        }
    }

    private static void print(String name, MavenRun run, MavenRun reference) {
        System.out.printf(Locale.ROOT, "%-28s %6.1f s (%.2f x reference)%n    configure: %s | rootfs: %s"
                        + " | system image: %s%n    application partition: %s | disk image: %s%n", name,
                run.seconds(), run.seconds() / reference.seconds(), run.step("Configuring packages"),
                run.step("Root file system"), run.step("System disk image"), run.step("Application partition"),
                run.step("Disk image"));
    }

    /** Offline: every download is already in the user's cache, which the benchmark's caches link to. */
    private static MavenRun mvn(Path dir, Path cache, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-o"));
        command.addAll(List.of(arguments));
        return MavenRun.run(dir, cache, Map.of(), command);
    }
}
