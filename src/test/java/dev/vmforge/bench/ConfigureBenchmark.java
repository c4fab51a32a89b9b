package dev.vmforge.bench;

import dev.vmforge.configure.DpkgLogTimes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times src/examples/java-http's disk image three ways, in one invocation, with Maven as a user runs it:
 * <ol>
 *   <li>cold: a shared store of its own (the downloaded .debs and indices linked in), so the configure step
 *       (dpkg --configure -a of openjdk-17-jre-headless and its closure in the TCG builder VM) runs;</li>
 *   <li>clean target: {@code mvn clean package vm:build-image} with that store warm;</li>
 *   <li>a one-line code change: Main.java edited, {@code mvn package vm:build-image}.</li>
 * </ol>
 * Prints each wall time, what each step did and took (the configure step's VM time among them), and the ratios:
 * after a code change only the application partition and the final image copy are made again.
 * Needs the plugin installed ({@code mvn install -DskipTests}), QEMU and the network or a warm cache.
 * Run: {@code java -cp target/test-classes dev.vmforge.bench.ConfigureBenchmark [EXAMPLE-DIR]}
 */
public final class ConfigureBenchmark {
    private static final Pattern STEP = Pattern.compile("\\[INFO\\] (Builder VM kernel and initramfs|Configuring packages|Root file system"
            + "|System disk image|Application partition|Disk image|Docker image)\\s+(.*)\\((\\d+\\.\\d) s\\)");

    public static void main(String[] args) throws Exception {
        Path example = Path.of(args.length > 0 ? args[0] : "src/examples/java-http").toAbsolutePath();
        Path userCache = Path.of(System.getProperty("user.home"), ".cache", "vm-maven-plugin");
        Path cache = Files.createTempDirectory("vmforge-bench-cache");
        for (String shared : List.of("debs", "indices", "releases")) {
            if (Files.isDirectory(userCache.resolve(shared))) {
                Files.createSymbolicLink(cache.resolve(shared), userCache.resolve(shared));
            }
        }
        Path main = example.resolve("src/main/java/dev/vmforge/examples/http/Main.java");
        String original = Files.readString(main, StandardCharsets.UTF_8);
        try {
            Run cold = mvn(example, cache, "clean", "package", "vm:build-image");
            String dpkgLog = dpkgLog(example.resolve("target/vm/logs")); // before the next clean removes it
            Run cleanTarget = mvn(example, cache, "clean", "package", "vm:build-image");
            Run docker = mvn(example, cache, "package", "vm:build-docker-image");
            Files.writeString(main, original.replace("Hello from java-http", "Hello again from java-http"),
                    StandardCharsets.UTF_8);
            Run codeChange = mvn(example, cache, "package", "vm:build-image");
            Run dockerChange = mvn(example, cache, "package", "vm:build-docker-image");
            print("cold (configure runs)", cold, cold);
            printSlowestMaintainerScripts(dpkgLog, 8);
            print("clean target, warm store", cleanTarget, cold);
            print("one-line code change", codeChange, cold);
            System.out.printf(Locale.ROOT, "code change / clean target: %.2f; code change / cold: %.2f%n",
                    codeChange.seconds / cleanTarget.seconds, codeChange.seconds / cold.seconds);
            System.out.printf(Locale.ROOT, "docker image, system and application layers: %.1f s (%s)%n",
                    docker.seconds, docker.step("Docker image"));
            System.out.printf(Locale.ROOT, "docker image after the code change (system layer from its cache): %.1f s (%s)"
                    + " = %.2f of the first%n", dockerChange.seconds, dockerChange.step("Docker image"),
                    dockerChange.seconds / docker.seconds);
        } finally {
            Files.writeString(main, original, StandardCharsets.UTF_8);
            deleteStore(cache);
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

    /** Deletes the benchmark's own cache; the links to the user's downloads are removed, not followed. */
    private static void deleteStore(Path cache) throws IOException {
        try (var paths = Files.walk(cache)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    record Run(double seconds, String log) {
        String step(String name) {
            Matcher m = STEP.matcher(log);
            while (m.find()) {
                if (m.group(1).equals(name)) {
                    return m.group(2).trim() + " " + m.group(3) + " s";
                }
            }
            return "not run";
        }
    }

    private static void print(String name, Run run, Run reference) {
        System.out.printf(Locale.ROOT, "%-26s %6.1f s (%.2f x cold)%n    configure: %s | rootfs: %s | system image: %s"
                        + "%n    application partition: %s | disk image: %s%n", name,
                run.seconds, run.seconds / reference.seconds, run.step("Configuring packages"),
                run.step("Root file system"), run.step("System disk image"), run.step("Application partition"),
                run.step("Disk image"));
    }

    private static Run mvn(Path dir, Path cache, String... goals) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-o", "-Dvm.accelerator=tcg",
                "-Dvm.cacheDirectory=" + cache));
        command.addAll(List.of(goals));
        Path log = Files.createTempFile("vmforge-bench", ".log");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int status = p.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed; log " + log);
        }
        return new Run(seconds, text);
    }
}
