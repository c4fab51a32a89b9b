package dev.vmforge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Time from starting a generated run-vm.sh to its service answering HTTP, split by what the console shows:
 * QEMU and firmware until the kernel prints, the kernel until the init's first line, the init until
 * "system ready", then the service. Runs the script twice: the first run includes the accelerator probe,
 * the second reuses its cached verdict; the ratio compares them.
 * Usage: {@code RunVmBenchmark target/vm/run-vm.sh http://127.0.0.1:18431/}
 */
public final class RunVmBenchmark {
    private static final String[] MARKS = {"Linux version", "vmforge:", "vmforge: system ready"};

    public static void main(String[] args) throws Exception {
        Path script = Path.of(args[0]);
        URI url = URI.create(args[1]);
        Map<String, Double> first = run(script, url);
        Map<String, Double> second = run(script, url);
        print("first run", first);
        print("second run", second);
        System.out.printf(Locale.ROOT, "second / first: %.2f%n", second.get("answered") / first.get("answered"));
    }

    private static Map<String, Double> run(Path script, URI url) throws Exception {
        Path console = Files.createTempFile("run-vm-bench", ".log");
        long start = System.nanoTime();
        Process vm = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true).redirectOutput(console.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Map<String, Double> seen = new LinkedHashMap<>();
        try {
            while (vm.isAlive() && !seen.containsKey("answered")) {
                String text = Files.readString(console, StandardCharsets.ISO_8859_1);
                for (String mark : MARKS) {
                    if (!seen.containsKey(mark) && text.contains(mark)) {
                        seen.put(mark, (System.nanoTime() - start) / 1e9);
                    }
                }
                if (seen.containsKey("vmforge: system ready") && answers(url)) {
                    seen.put("answered", (System.nanoTime() - start) / 1e9);
                }
                Thread.sleep(100);
            }
        } finally {
            vm.destroy();
            vm.waitFor();
            Files.deleteIfExists(console);
        }
        if (!seen.containsKey("answered")) {
            throw new IllegalStateException("the service never answered at " + url);
        }
        return seen;
    }

    private static boolean answers(URI url) {
        try {
            HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private static void print(String name, Map<String, Double> t) {
        double kernel = t.getOrDefault("Linux version", 0.0);
        double init = t.getOrDefault("vmforge:", kernel);
        double ready = t.getOrDefault("vmforge: system ready", init);
        double answered = t.get("answered");
        System.out.printf(Locale.ROOT, "%-11s total %5.1f s = QEMU+firmware %4.1f + kernel %4.1f + init %4.1f + service %4.1f%n",
                name, answered, kernel, init - kernel, ready - init, answered - ready);
    }
}
