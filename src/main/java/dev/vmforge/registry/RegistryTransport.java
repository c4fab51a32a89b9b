package dev.vmforge.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends requests to one registry: with the authorization its challenge asks for (a 401 is answered once with a
 * fresh one), following redirects of downloads by hand so that credentials never go to another host (blob
 * storage such as S3 gets none), and logging each exchange with {@code -X} as method, path and status only:
 * never a header or a query string, which may hold tokens or signed URLs.
 */
final class RegistryTransport {
    static final String USER_AGENT = "vm-maven-plugin";
    private static final int MAX_REDIRECTS = 5;
    /** Manifests and error documents are small; the spec suggests registries refuse manifests over 4 MiB. */
    static final int MAX_DOCUMENT = 4 << 20;

    private final RegistryEndpoint endpoint;
    private final RegistryAuthenticator auth;
    private final RegistryOptions options;

    RegistryTransport(RegistryEndpoint endpoint, RegistryAuthenticator auth, RegistryOptions options) {
        this.endpoint = endpoint;
        this.auth = auth;
        this.options = options;
    }

    /**
     * One request.
     *
     * @param body    null for none; it may be subscribed to more than once (a retry after a 401 sends it again)
     * @param timeout until the answer's headers have arrived, the body sent
     */
    record Call(String method, URI uri, Set<AccessScope> scopes, Map<String, String> headers,
                HttpRequest.BodyPublisher body, Duration timeout) {
        Call {
            headers = Map.copyOf(headers);
        }
    }

    String registry() {
        return endpoint.registry();
    }

    RegistryEndpoint endpoint() {
        return endpoint;
    }

    RegistryAuthenticator auth() {
        return auth;
    }

    RegistryOptions options() {
        return options;
    }

    Call call(String method, URI uri, Set<AccessScope> scopes) {
        return new Call(method, uri, scopes, Map.of(), null, options.requestTimeout());
    }

    /** Sends {@code call} and reads the answer's body (at most {@link #MAX_DOCUMENT} bytes). */
    RegistryResponse send(Call call) throws IOException {
        HttpResponse<InputStream> response = open(call);
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(MAX_DOCUMENT + 1);
            if (body.length > MAX_DOCUMENT) {
                throw new RegistryException("Registry " + registry() + " answered " + call.method() + " "
                        + call.uri().getPath() + " with more than " + (MAX_DOCUMENT >> 20) + " MiB; not a manifest"
                        + " or error document");
            }
            return new RegistryResponse(response.statusCode(), response.headers(), body, response.uri());
        }
    }

    /** Sends {@code call}; the caller reads and closes the answer's body. */
    HttpResponse<InputStream> open(Call call) throws IOException {
        HttpResponse<InputStream> response = exchange(call, call.uri());
        if (response.statusCode() == 401 && auth.unauthorized(response.headers().allValues("WWW-Authenticate"),
                call.scopes())) {
            response.body().close();
            response = exchange(call, call.uri());
        }
        boolean download = call.method().equals("GET") || call.method().equals("HEAD");
        for (int redirects = 0; download && isRedirect(response.statusCode()); redirects++) {
            if (redirects == MAX_REDIRECTS) {
                response.body().close();
                throw new RegistryException("Registry " + registry() + " redirected " + call.uri().getPath() + " more"
                        + " than " + MAX_REDIRECTS + " times");
            }
            Optional<String> location = response.headers().firstValue("Location");
            response.body().close();
            if (location.isEmpty()) {
                throw new RegistryException("Registry " + registry() + " redirected " + call.uri().getPath()
                        + " without saying where to");
            }
            URI target = response.uri().resolve(location.get());
            if (!target.getScheme().equalsIgnoreCase("https") && !endpoint.plainHttp() && !options.allowInsecure()) {
                throw new RegistryException("Registry " + registry() + " redirected " + call.uri().getPath()
                        + " to plain HTTP (" + target.getHost() + "); refused");
            }
            response = exchange(call, target);
        }
        return response;
    }

    /** The failure that an answer with an unexpected status is: refused access (401/403) or anything else. */
    RegistryException failure(RegistryResponse response, String repository, boolean push, String what) {
        if (response.status() == 401 || response.status() == 403) {
            return RegistryErrors.refused(registry(), repository, push, auth.credentials(), auth.usesTokens(),
                    response);
        }
        return RegistryErrors.unexpected(registry(), what, response);
    }

    private HttpResponse<InputStream> exchange(Call call, URI uri) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body())
                .timeout(call.timeout())
                .header("User-Agent", USER_AGENT);
        call.headers().forEach(request::header);
        if (endpoint.sameOrigin(uri)) {
            auth.header(call.scopes()).ifPresent(value -> request.header("Authorization", value));
        }
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = endpoint.client().send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (options.log().isDebugEnabled()) {
                options.log().debug(String.format(Locale.ROOT, "%s %s%s -> %d (%.2f s)", call.method(),
                        endpoint.sameOrigin(uri) ? "" : uri.getHost(), uri.getRawPath(), response.statusCode(),
                        (System.nanoTime() - start) / 1e9));
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }
}
