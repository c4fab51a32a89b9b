package dev.vmforge.bench;

import dev.vmforge.it.TestRegistry;
import dev.vmforge.substitute.TestKeys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What substitutes save on a cold build of src/examples/java-http's disk image, in one invocation, with Maven as a
 * user runs it, against Debian's docker-registry on 127.0.0.1:18448:
 * <ol>
 *   <li>cold without substitutes: a cache of its own (the user's downloaded .debs and indices linked in),
 *       {@code mvn clean package vm:build-image -Dvm.substitutes=false}: the reference;</li>
 *   <li>(untimed) the same cache publishes its outputs: {@code -Dvm.substitutes.publish=true};</li>
 *   <li>cold with substitutes: another empty cache, {@code mvn clean package vm:build-image}.</li>
 * </ol>
 * Prints both wall times, the ratio (goal: at most 0.15, and at most 30 s), each step's line, the configure
 * step's time and the ten slowest maintainer scripts of the reference run (from dpkg's log).
 * Needs the plugin installed ({@code mvn install -DskipTests}), QEMU, docker-registry, and the network or a warm
 * cache. Run: {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt)
 * dev.vmforge.bench.SubstitutesBenchmark [EXAMPLE-DIR]}
 */
public final class SubstitutesBenchmark {
    private static final int PORT = 18448;
    public static void main(String[] args) throws Exception {
        Path example = Path.of(args.length > 0 ? args[0] : "src/examples/java-http").toAbsolutePath();
        Path work = Files.createTempDirectory("vmforge-substitutes-bench");
        String password = "bench-" + Long.toHexString(System.nanoTime());
        String passphrase = "bench-passphrase-" + Long.toHexString(System.nanoTime());
        TestKeys keys = TestKeys.generate(work.resolve("keys"), "bench", passphrase);
        // the registry's credentials as docker login writes them, and the key's passphrase, for the Maven runs
        Path dockerConfig = Files.createDirectories(work.resolve("docker"));
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"127.0.0.1:" + PORT + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString(("bench:" + password).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        Map<String, String> environment = Map.of("DOCKER_CONFIG", dockerConfig.toString(),
                "VM_SUBSTITUTES_PASSPHRASE", passphrase);
        List<String> substitutes = List.of("-Dvm.substitutes.registry=127.0.0.1:" + PORT + "/bench/vm-cache",
                "-Dvm.substitutes.trustedKeys=" + keys.publicKey());
        try (TestRegistry registry = TestRegistry.start(work.resolve("registry"), PORT, Map.of("bench", password))) {
            Path cacheA = MavenRun.cacheWithDownloads(work.resolve("cache-a"));
            MavenRun cold = MavenRun.run(example, cacheA, environment, List.of("-Dvm.substitutes=false", "clean", "package",
                    "vm:build-image"));
            String dpkgLog = ConfigureBenchmark.dpkgLog(example.resolve("target/vm/logs"));
            // the image in target/ is up to date: the goal offers the outputs the store holds, as CI turning
            // publishing on after a build does
            List<String> publish = new ArrayList<>(substitutes);
            publish.addAll(List.of("-Dvm.substitutes.publish=true", "-Dvm.substitutes.signingKey=" + keys.secret(),
                    "package", "vm:build-image"));
            MavenRun published = MavenRun.run(example, cacheA, environment, publish);
            Path cacheB = MavenRun.cacheWithDownloads(work.resolve("cache-b"));
            List<String> fetch = new ArrayList<>(substitutes);
            fetch.addAll(List.of("clean", "package", "vm:build-image"));
            MavenRun substituted = MavenRun.run(example, cacheB, environment, fetch);

            print("cold, no substitutes", cold, cold);
            ConfigureBenchmark.printSlowestMaintainerScripts(dpkgLog, 10);
            System.out.printf(Locale.ROOT, "(publishing the warm store's outputs: %.1f s, untimed)%n", published.seconds());
            print("cold, with substitutes", substituted, cold);
            System.out.printf(Locale.ROOT, "with / without substitutes: %.3f (goal <= 0.15); with substitutes %.1f s"
                    + " (goal <= 30 s); builder VM started with substitutes: %s%n", substituted.seconds() / cold.seconds(),
                    substituted.seconds(), substituted.log().contains("builder VM '") ? "yes" : "no");
        } finally {
            MavenRun.deleteTree(work);
        }
    }

    private static void print(String name, MavenRun run, MavenRun reference) {
        System.out.printf(Locale.ROOT, "%-24s %6.1f s (%.3f x cold)%n    builder: %s | configure: %s | rootfs: %s"
                        + "%n    system image: %s | application partition: %s | disk image: %s%n", name, run.seconds(),
                run.seconds() / reference.seconds(), run.step("Builder VM kernel and initramfs"),
                run.step("Configuring packages"), run.step("Root file system"), run.step("System disk image"),
                run.step("Application partition"), run.step("Disk image"));
    }
}
