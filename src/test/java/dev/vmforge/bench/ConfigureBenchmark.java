package dev.vmforge.bench;

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
 * Prints each wall time, the configure step's VM time, whether the configure step ran, and the ratios.
 * Needs the plugin installed ({@code mvn install -DskipTests}), QEMU and the network or a warm cache.
 * Run: {@code java -cp target/test-classes dev.vmforge.bench.ConfigureBenchmark [EXAMPLE-DIR]}
 */
public final class ConfigureBenchmark {
    private static final Pattern STEP = Pattern.compile("\\[INFO\\] (Configuring packages|Root file system|Disk image|Docker image)\\s+(.*)\\((\\d+\\.\\d) s\\)");

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
            Run cleanTarget = mvn(example, cache, "clean", "package", "vm:build-image");
            Run docker = mvn(example, cache, "package", "vm:build-docker-image");
            Files.writeString(main, original.replace("Hello from java-http", "Hello again from java-http"),
                    StandardCharsets.UTF_8);
            Run codeChange = mvn(example, cache, "package", "vm:build-image");
            Run dockerChange = mvn(example, cache, "package", "vm:build-docker-image");
            print("cold (configure runs)", cold, cold);
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
        System.out.printf(Locale.ROOT, "%-28s %7.1f s (%.2f x cold) | configure: %s | rootfs: %s | image: %s%n", name,
                run.seconds, run.seconds / reference.seconds, run.step("Configuring packages"),
                run.step("Root file system"), run.step("Disk image"));
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
