package dev.vmforge.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small in-memory registry on 127.0.0.1 that follows the distribution spec's push and pull flows, for the
 * tests the reference registry cannot serve: the token flow with per-repository permissions (as Docker Hub or
 * Harbor grant them), injected failures, answers that lie about digests. It records every request.
 */
final class FakeRegistry implements AutoCloseable {
    enum Auth { NONE, BASIC, BEARER }

    private static final Pattern CONTENT_RANGE = Pattern.compile("(\\d+)-(\\d+)");

    private final HttpServer server;
    private final Auth auth;
    private final Map<String, String> passwords = new HashMap<>();
    /** user → repositories the user may push to; others may only be pulled. */
    private final Map<String, Set<String>> pushable = new HashMap<>();
    private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>();
    private final Map<String, Map<String, byte[]>> blobs = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    private final Map<String, Map<String, byte[]>> manifests = new ConcurrentHashMap<>();
    private final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    volatile boolean corruptBlobDownloads;
    /** Blob downloads send half the content, then nothing more for a minute. */
    volatile boolean stallBlobDownloads;
    volatile boolean wrongManifestDigest;

    private record Failure(Pattern request, int status, int[] remaining) {
    }

    FakeRegistry(Auth auth) throws IOException {
        this.auth = auth;
        // it warns about the Content-Length of HEAD answers, which registries send and clients read
        java.util.logging.Logger.getLogger("com.sun.net.httpserver").setLevel(java.util.logging.Level.SEVERE);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    FakeRegistry user(String name, String password, String... pushableRepositories) {
        passwords.put(name, password);
        pushable.put(name, new HashSet<>(List.of(pushableRepositories)));
        return this;
    }

    /** The next {@code times} requests whose {@code METHOD path} matches get {@code status}. */
    FakeRegistry fail(String requestRegex, int status, int times) {
        synchronized (failures) {
            failures.add(new Failure(Pattern.compile(requestRegex), status, new int[] {times}));
        }
        return this;
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** Every Authorization header received, for the test that no secret is logged. */
    synchronized List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    Set<String> tokensIssued() {
        return tokens.keySet();
    }

    byte[] blob(String repository, Digest digest) {
        return blobs.getOrDefault(repository, Map.of()).get(digest.toString());
    }

    byte[] manifest(String repository, String reference) {
        return manifests.getOrDefault(repository, Map.of()).get(reference);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes(); // all or nothing: a cut connection appends nothing
            }
            synchronized (this) {
                requests.add(method + " " + path + (exchange.getRequestURI().getRawQuery() == null ? ""
                        : "?" + exchange.getRequestURI().getRawQuery()));
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization != null) {
                    authorizations.add(authorization);
                }
            }
            Integer injected = injectedFailure(method + " " + path);
            if (injected != null) {
                send(exchange, injected, error("UNAVAILABLE", "injected failure"));
                return;
            }
            if (path.equals("/token")) {
                token(exchange, query);
                return;
            }
            if (path.equals("/v2/")) {
                if (authorized(exchange, null, false)) {
                    send(exchange, 200, "{}".getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            route(exchange, method, path.substring("/v2/".length()), query, body);
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private void route(HttpExchange exchange, String method, String path, Map<String, String> query, byte[] body)
            throws IOException {
        int uploadsAt = path.indexOf("/blobs/uploads/");
        int blobsAt = path.indexOf("/blobs/");
        int manifestsAt = path.indexOf("/manifests/");
        if (uploadsAt > 0) {
            String repository = path.substring(0, uploadsAt);
            String id = path.substring(uploadsAt + "/blobs/uploads/".length());
            if (!authorized(exchange, repository, true)) {
                return;
            }
            upload(exchange, method, repository, id, query, body);
        } else if (blobsAt > 0) {
            String repository = path.substring(0, blobsAt);
            if (!authorized(exchange, repository, false)) {
                return;
            }
            byte[] blob = blob(repository, Digest.parse(path.substring(blobsAt + "/blobs/".length())));
            if (blob == null) {
                send(exchange, 404, error("BLOB_UNKNOWN", "blob unknown to registry"));
                return;
            }
            exchange.getResponseHeaders().set("Docker-Content-Digest", Digest.sha256(blob).toString());
            if (method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(blob.length));
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            if (stallBlobDownloads) {
                exchange.sendResponseHeaders(200, blob.length);
                exchange.getResponseBody().write(blob, 0, blob.length / 2);
                exchange.getResponseBody().flush();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            byte[] sent = blob.clone();
            if (corruptBlobDownloads && sent.length > 0) {
                sent[sent.length / 2] ^= 1;
            }
            send(exchange, 200, sent);
        } else if (manifestsAt > 0) {
            String repository = path.substring(0, manifestsAt);
            String reference = path.substring(manifestsAt + "/manifests/".length());
            if (!authorized(exchange, repository, method.equals("PUT"))) {
                return;
            }
            manifest(exchange, method, repository, reference, body);
        } else {
            send(exchange, 404, error("NOT_FOUND", path));
        }
    }

    private void upload(HttpExchange exchange, String method, String repository, String id, Map<String, String> query,
                        byte[] body) throws IOException {
        if (method.equals("POST")) {
            String mount = query.get("mount");
            if (mount != null) {
                String from = query.get("from");
                if (!authorized(exchange, from, false)) {
                    return;
                }
                byte[] blob = blob(from, Digest.parse(mount));
                if (blob != null) {
                    blobs.computeIfAbsent(repository, r -> new ConcurrentHashMap<>()).put(mount, blob);
                    exchange.getResponseHeaders().set("Docker-Content-Digest", mount);
                    exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/blobs/" + mount);
                    send(exchange, 201, new byte[0]);
                    return;
                }
            }
            String session = UUID.randomUUID().toString();
            uploads.put(session, new ByteArrayOutputStream());
            exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/blobs/uploads/" + session);
            exchange.getResponseHeaders().set("Range", "0-0");
            send(exchange, 202, new byte[0]);
            return;
        }
        ByteArrayOutputStream upload = uploads.get(id);
        if (upload == null) {
            send(exchange, 404, error("BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry"));
            return;
        }
        synchronized (upload) {
            switch (method) {
                case "GET" -> {
                    exchange.getResponseHeaders().set("Range", "0-" + Math.max(0, upload.size() - 1));
                    exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/blobs/uploads/" + id);
                    exchange.sendResponseHeaders(204, -1);
                }
                case "DELETE" -> {
                    uploads.remove(id);
                    exchange.sendResponseHeaders(204, -1);
                }
                case "PATCH" -> {
                    String range = exchange.getRequestHeaders().getFirst("Content-Range");
                    if (range != null) {
                        Matcher m = CONTENT_RANGE.matcher(range);
                        if (!m.matches() || Long.parseLong(m.group(1)) != upload.size()
                                || Long.parseLong(m.group(2)) - Long.parseLong(m.group(1)) + 1 != body.length) {
                            send(exchange, 416, error("BLOB_UPLOAD_INVALID", "bad range " + range));
                            return;
                        }
                    }
                    upload.write(body);
                    exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/blobs/uploads/" + id);
                    exchange.getResponseHeaders().set("Range", "0-" + (upload.size() - 1));
                    send(exchange, 202, new byte[0]);
                }
                case "PUT" -> {
                    upload.write(body);
                    byte[] content = upload.toByteArray();
                    Digest digest = Digest.sha256(content);
                    if (!digest.toString().equals(query.get("digest"))) {
                        send(exchange, 400, error("DIGEST_INVALID", "provided digest did not match uploaded content"));
                        return;
                    }
                    uploads.remove(id);
                    blobs.computeIfAbsent(repository, r -> new ConcurrentHashMap<>()).put(digest.toString(), content);
                    exchange.getResponseHeaders().set("Docker-Content-Digest", digest.toString());
                    exchange.getResponseHeaders().set("Location", "/v2/" + repository + "/blobs/" + digest);
                    send(exchange, 201, new byte[0]);
                }
                default -> send(exchange, 405, error("UNSUPPORTED", method));
            }
        }
    }

    private void manifest(HttpExchange exchange, String method, String repository, String reference, byte[] body)
            throws IOException {
        Map<String, byte[]> stored = manifests.computeIfAbsent(repository, r -> new ConcurrentHashMap<>());
        if (method.equals("PUT")) {
            ImageManifest manifest = ImageManifest.parse(body, exchange.getRequestHeaders().getFirst("Content-Type"));
            for (Descriptor blob : manifest.blobs()) {
                if (blob(repository, blob.digest()) == null) {
                    send(exchange, 400, error("MANIFEST_BLOB_UNKNOWN", "blob unknown to registry"));
                    return;
                }
            }
            Digest digest = Digest.sha256(body);
            stored.put(reference, body);
            stored.put(digest.toString(), body);
            manifestTypes.put(digest.toString(), exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.getResponseHeaders().set("Docker-Content-Digest", wrongManifestDigest
                    ? Digest.sha256(new byte[] {1}).toString() : digest.toString());
            send(exchange, 201, new byte[0]);
            return;
        }
        byte[] manifest = stored.get(reference);
        if (manifest == null) {
            send(exchange, 404, error("MANIFEST_UNKNOWN", "manifest unknown"));
            return;
        }
        Digest digest = Digest.sha256(manifest);
        exchange.getResponseHeaders().set("Content-Type", manifestTypes.get(digest.toString()));
        exchange.getResponseHeaders().set("Docker-Content-Digest", digest.toString());
        if (method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(manifest.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        send(exchange, 200, manifest);
    }

    private void token(HttpExchange exchange, Map<String, String> query) throws IOException {
        String user = basicUser(exchange);
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && user == null) {
            send(exchange, 401, error("UNAUTHORIZED", "authentication required"));
            return;
        }
        Set<String> granted = new HashSet<>();
        String scope = query.getOrDefault("scope", "");
        for (String s : scope.split(" ")) {
            String[] parts = s.split(":");
            if (parts.length == 3 && parts[0].equals("repository")) {
                granted.add(parts[1] + ":pull");
                if (parts[2].contains("push") && user != null && pushable.get(user).contains(parts[1])) {
                    granted.add(parts[1] + ":push");
                }
            }
        }
        String token = "tok-" + UUID.randomUUID();
        tokens.put(token, granted);
        send(exchange, 200, ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the request may go on; if not, the 401 or 403 answer has been sent. */
    private boolean authorized(HttpExchange exchange, String repository, boolean push) throws IOException {
        switch (auth) {
            case NONE:
                return true;
            case BASIC:
                if (basicUser(exchange) != null) {
                    return true;
                }
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fake registry\"");
                send(exchange, 401, error("UNAUTHORIZED", "authentication required"));
                return false;
            default:
                String header = exchange.getRequestHeaders().getFirst("Authorization");
                Set<String> granted = header != null && header.startsWith("Bearer ")
                        ? tokens.get(header.substring("Bearer ".length())) : null;
                boolean allowed = granted != null && (repository == null
                        || granted.contains(repository + (push ? ":push" : ":pull")));
                if (allowed) {
                    return true;
                }
                String challenge = "Bearer realm=\"http://" + address() + "/token\",service=\"fake\""
                        + (repository == null ? "" : ",scope=\"repository:" + repository + (push ? ":pull,push" : ":pull")
                        + "\"") + (granted != null ? ",error=\"insufficient_scope\"" : "");
                exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
                send(exchange, 401, granted != null ? error("DENIED", "requested access to the resource is denied")
                        : error("UNAUTHORIZED", "authentication required"));
                return false;
        }
    }

    private String basicUser(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String user = decoded.substring(0, colon);
        return decoded.substring(colon + 1).equals(passwords.get(user)) ? user : null;
    }

    private Integer injectedFailure(String request) {
        synchronized (failures) {
            for (Failure f : failures) {
                if (f.remaining()[0] > 0 && f.request().matcher(request).matches()) {
                    f.remaining()[0]--;
                    return f.status();
                }
            }
        }
        return null;
    }

    private static byte[] error(String code, String message) {
        return ("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                query.merge(name, value, (a, b) -> a + " " + b);
            }
        }
        return query;
    }
}
