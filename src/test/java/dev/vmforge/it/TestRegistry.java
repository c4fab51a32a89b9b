package dev.vmforge.it;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code docker-registry} (the reference implementation of the distribution spec) on 127.0.0.1, with
 * htpasswd (bcrypt) Basic authentication and its storage in a directory of the test's, for the tests that push
 * to a real registry. It is started through a shell that stops it when its input closes, so it ends with the
 * test's JVM however that ends; {@link #close()} stops it at once.
 */
public final class TestRegistry implements AutoCloseable {
    private static final Pattern ACCESS = Pattern.compile("\"([A-Z]+) (\\S+) HTTP/[0-9.]+\" (\\d{3}) ");
    private static final String WATCHER = "docker-registry serve \"$1\" >>\"$2\" 2>&1 &\n"
            + "registry=$!\n"
            + "read -r _\n" // returns when the JVM closes the pipe: on close(), or when it exits in any way
            + "kill $registry 2>/dev/null; wait $registry\n";

    private final Process watcher;
    private final int port;
    private final Path log;
    private final Thread shutdownHook;

    private TestRegistry(Process watcher, int port, Path log) {
        this.watcher = watcher;
        this.port = port;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "test-registry-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a registry on {@code 127.0.0.1:port} storing into {@code directory}, with these users and passwords.
     *
     * @throws IOException if the port is taken, docker-registry is not installed, or it does not answer in 30 s
     */
    public static TestRegistry start(Path directory, int port, Map<String, String> users)
            throws IOException, InterruptedException {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            throw new IOException("port " + port + " on 127.0.0.1 is taken: stop what listens there");
        } catch (java.net.ConnectException free) {
            // the port is free
        }
        Files.createDirectories(directory);
        Path htpasswd = directory.resolve("htpasswd");
        StringBuilder entries = new StringBuilder();
        SecureRandom random = new SecureRandom();
        users.forEach((user, password) -> {
            byte[] salt = new byte[16];
            random.nextBytes(salt);
            entries.append(user).append(':').append(OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5))
                    .append('\n');
        });
        Files.writeString(htpasswd, entries, StandardCharsets.UTF_8);
        Path config = directory.resolve("config.yml");
        Files.writeString(config, "version: 0.1\n"
                + "log:\n  level: info\n  formatter: text\n"
                + "storage:\n  filesystem:\n    rootdirectory: " + directory.resolve("storage") + "\n"
                + "  delete:\n    enabled: true\n"
                + "http:\n  addr: 127.0.0.1:" + port + "\n  secret: vm-maven-plugin-test\n"
                + "auth:\n  htpasswd:\n    realm: vmforge-test\n    path: " + htpasswd + "\n", StandardCharsets.UTF_8);
        Path log = directory.resolve("registry.log");
        Process watcher;
        try {
            watcher = new ProcessBuilder("sh", "-c", WATCHER, "sh", config.toString(), log.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot start sh for docker-registry", e);
        }
        TestRegistry registry = new TestRegistry(watcher, port, log);
        try {
            registry.awaitReady();
        } catch (IOException | InterruptedException | RuntimeException e) {
            registry.close();
            throw e;
        }
        return registry;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!watcher.isAlive()) {
                break;
            }
            try {
                int status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        String text = Files.exists(log) ? Files.readString(log) : "(no log)";
        throw new IOException("docker-registry did not answer on 127.0.0.1:" + port + " (is the docker-registry package"
                + " installed?); its log:\n" + text);
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image name. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** A position in the log: {@link #requestsSince} reads what came after it. */
    public long mark() throws IOException {
        return Files.size(log);
    }

    /** The registry's access-log lines after {@code mark} as {@code METHOD PATH?QUERY STATUS}. */
    public List<String> requestsSince(long mark) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        String text = new String(bytes, (int) Math.min(mark, bytes.length), (int) Math.max(0, bytes.length - mark),
                StandardCharsets.UTF_8);
        List<String> requests = new ArrayList<>();
        Matcher m = ACCESS.matcher(text);
        while (m.find()) {
            requests.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
        return requests;
    }

    /** Requests that started, filled or completed a blob upload (a mount is not one). */
    public static List<String> uploads(List<String> requests) {
        return requests.stream().filter(r -> r.contains("/blobs/uploads/") && !r.contains("mount=")).toList();
    }

    /** Mount requests the registry answered with 201 Created: the blob was mounted, not sent. */
    public static List<String> mounts(List<String> requests) {
        return requests.stream().filter(r -> r.startsWith("POST ") && r.contains("mount=") && r.endsWith(" 201"))
                .toList();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private void stop() {
        try {
            OutputStream in = watcher.getOutputStream();
            in.close();
            if (!watcher.waitFor(15, TimeUnit.SECONDS)) {
                watcher.descendants().forEach(ProcessHandle::destroyForcibly);
                watcher.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            watcher.descendants().forEach(ProcessHandle::destroyForcibly);
            watcher.destroyForcibly();
        }
    }
}
