package dev.vmforge.debian;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on an ephemeral 127.0.0.1 port serving a {@link FixtureRepository}'s files, where any path can
 * be made to misbehave: stall after the headers (or after part of the body), send bytes forever, or answer with
 * an error status a given number of times. {@link #close} releases every stalled exchange and stops the server.
 */
final class LoopbackMirror implements AutoCloseable {
    /** What the server does for a path. */
    enum Fault {
        /** Headers with the file's length, then nothing. */
        STALL_AFTER_HEADERS,
        /** Headers and half the file, then nothing. */
        STALL_MID_BODY,
        /** A chunked body that never ends. */
        ENDLESS,
        /** HTTP 503, then (for {@link #failTimes} requests) the file. */
        UNAVAILABLE
    }

    private final Path root;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-mirror");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch released = new CountDownLatch(1);
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicInteger unavailableLeft = new AtomicInteger();

    LoopbackMirror(Path root) throws IOException {
        this.root = root;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    PackageSource source(Path keyring) {
        return new PackageSource(uri(), FixtureRepository.SUITE, java.util.List.of("main"), "amd64", keyring);
    }

    /** Makes every request whose path ends with {@code suffix} misbehave. */
    LoopbackMirror fault(String suffix, Fault fault) {
        faults.put(suffix, fault);
        return this;
    }

    /** For {@link Fault#UNAVAILABLE}: how many requests get 503 before the file is served. */
    LoopbackMirror failTimes(int times) {
        unavailableLeft.set(times);
        return this;
    }

    /** Requests seen for paths ending with {@code suffix}. */
    int requests(String suffix) {
        return requests.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).mapToInt(e -> e.getValue().get()).sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        try {
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] content = Files.readAllBytes(file);
            Fault fault = faults.entrySet().stream().filter(e -> path.endsWith(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            OutputStream body = exchange.getResponseBody();
            if (fault == null || (fault == Fault.UNAVAILABLE && unavailableLeft.getAndDecrement() <= 0)) {
                exchange.sendResponseHeaders(200, content.length);
                body.write(content);
                return;
            }
            switch (fault) {
                case UNAVAILABLE -> exchange.sendResponseHeaders(503, -1);
                case STALL_AFTER_HEADERS -> {
                    exchange.sendResponseHeaders(200, content.length);
                    body.flush();
                    awaitRelease();
                }
                case STALL_MID_BODY -> {
                    exchange.sendResponseHeaders(200, content.length);
                    body.write(content, 0, content.length / 2);
                    body.flush();
                    awaitRelease();
                }
                case ENDLESS -> {
                    exchange.sendResponseHeaders(200, 0);
                    byte[] junk = new byte[64 * 1024];
                    while (released.getCount() > 0) {
                        body.write(junk); // ends with an IOException when the client hangs up
                    }
                }
                default -> throw new IllegalStateException(fault.toString());
            }
        } catch (IOException e) {
            // the client hung up: what the faults are for
        } finally {
            exchange.close();
        }
    }

    private void awaitRelease() {
        try {
            released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
