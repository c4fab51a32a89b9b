package dev.vmforge.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Maven build of an example project, as the benchmarks that run Maven make it (TCG, a cache of their own):
 * its wall time and its log, from which each step's line is read.
 */
record MavenRun(double seconds, String log) {
    private static final Pattern STEP = Pattern.compile("\\[INFO\\] (Builder VM kernel and initramfs|Configuring packages"
            + "|Root file system|System disk image|Application partition|Disk image|Docker image)\\s+(.*)\\((\\d+\\.\\d) s\\)");

    /** {@code mvn -B -Dvm.accelerator=tcg -Dvm.cacheDirectory=CACHE ARGUMENTS} in {@code dir}; fails on failure. */
    static MavenRun run(Path dir, Path cache, Map<String, String> environment, List<String> arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-Dvm.accelerator=tcg",
                "-Dvm.cacheDirectory=" + cache));
        command.addAll(arguments);
        Path log = Files.createTempFile("vmforge-bench", ".log");
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        int status = builder.start().waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed; log " + log);
        }
        return new MavenRun(seconds, text);
    }

    /** What the step's line says it made and its time, e.g. "114 packages configured 61.2 s". */
    String step(String name) {
        Matcher m = stepLine(name);
        return m == null ? "not run" : m.group(2).trim() + " " + m.group(3) + " s";
    }

    /** The step's time in seconds; NaN when it did not run. */
    double stepSeconds(String name) {
        Matcher m = stepLine(name);
        return m == null ? Double.NaN : Double.parseDouble(m.group(3));
    }

    private Matcher stepLine(String name) {
        Matcher m = STEP.matcher(log);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m;
            }
        }
        return null;
    }

    /**
     * An empty cache at {@code cache} with the user's downloads (.debs, indices, Release files) linked in, so no
     * run measures the archive's speed.
     */
    static Path cacheWithDownloads(Path cache) throws IOException {
        Path userCache = Path.of(System.getProperty("user.home"), ".cache", "vm-maven-plugin");
        Files.createDirectories(cache);
        for (String shared : List.of("debs", "indices", "releases")) {
            Files.createDirectories(userCache.resolve(shared));
            Files.createSymbolicLink(cache.resolve(shared), userCache.resolve(shared));
        }
        return cache;
    }

    /** Deletes a benchmark's directory, if there; the links to the user's downloads are removed, not followed. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
