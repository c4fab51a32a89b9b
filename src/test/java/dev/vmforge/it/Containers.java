package dev.vmforge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Loads a docker-archive into podman and runs it until its output shows a marker, for the integration
 * tests' verify scripts. Runs with {@code --runtime runc}: crun fails on this machine kind's cgroups.
 */
public final class Containers {
    private Containers() {
    }

    /** What {@code podman load} (or pull) said and what the container printed, up to the marker or the time limit. */
    public record Run(String loadOutput, String logs) {
    }

    public static Run loadAndRun(Path archive, String image, String marker, int timeoutSeconds)
            throws IOException, InterruptedException {
        String loaded = podman(true, "load", "-i", archive.toString());
        return run(image, loaded, marker, timeoutSeconds);
    }

    private static Run run(String image, String loaded, String marker, int timeoutSeconds)
            throws IOException, InterruptedException {
        String name = "vmforge-it-" + image.replaceAll("[^a-zA-Z0-9]", "-");
        podman(false, "rm", "-f", name);
        podman(true, "run", "-d", "--runtime", "runc", "--name", name, image);
        String logs = "";
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (!logs.contains(marker) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                logs = podman(false, "logs", name);
            }
        } finally {
            podman(false, "rm", "-f", name);
            podman(false, "rmi", "-f", image);
        }
        return new Run(loaded, logs);
    }

    /** Pulls {@code image} with podman ({@code pullOptions} such as --creds) and runs it until {@code marker}. */
    public static Run pullAndRun(String image, List<String> pullOptions, String marker, int timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> pull = new java.util.ArrayList<>(List.of("pull"));
        pull.addAll(pullOptions);
        pull.add(image);
        String pulled = podman(true, pull.toArray(String[]::new));
        return run(image, pulled, marker, timeoutSeconds);
    }

    private static String podman(boolean mustSucceed, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 && mustSucceed) {
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
