package dev.vmforge.registry;

import dev.vmforge.BuildLog;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;

/**
 * How to reach a registry's API: the base URL and the HTTP client to use for it. Found by asking
 * {@code GET /v2/}: HTTPS with the JDK's trust store first; a loopback registry may then fall back to plain HTTP
 * (as Docker allows), and with {@code allowInsecure} any registry may use an unverified certificate or plain
 * HTTP, with a warning.
 */
final class RegistryEndpoint {
    private final String registry;
    private final URI base;
    private final HttpClient client;

    private RegistryEndpoint(String registry, URI base, HttpClient client) {
        this.registry = registry;
        this.base = base;
        this.client = client;
    }

    /** The answer to {@code GET /v2/}: 200, or 401 with the registry's authentication challenges. */
    record Ping(RegistryEndpoint endpoint, int status, List<String> challenges) {
    }

    String registry() {
        return registry;
    }

    HttpClient client() {
        return client;
    }

    boolean plainHttp() {
        return base.getScheme().equals("http");
    }

    /** {@code https://host/v2/PATH}; {@code path} holds only characters that need no escaping. */
    URI api(String path) {
        return base.resolve("/v2/" + path);
    }

    /** Whether {@code uri} is served by this endpoint, so it may receive the registry's credentials. */
    boolean sameOrigin(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getHost().equalsIgnoreCase(uri.getHost())
                && port(base) == port(uri);
    }

    static Ping connect(String registry, RegistryOptions options) {
        String host = RegistryReference.apiHost(registry);
        boolean loopback = isLoopback(host);
        BuildLog log = options.log();
        IOException https;
        try {
            return ping(registry, "https", host, client(options, true), options);
        } catch (IOException e) {
            https = e;
        }
        NetworkFailure failure = NetworkFailure.of(https);
        log.debug("Registry " + registry + ": https://" + host + "/v2/ failed: " + NetworkFailure.detail(https));
        if (failure == NetworkFailure.UNKNOWN_HOST || failure == NetworkFailure.UNREACHABLE
                || failure == NetworkFailure.CONNECT_TIMEOUT) {
            throw unreachable(registry, "https://" + host + "/v2/", https, failure, options);
        }
        if (failure == NetworkFailure.CERTIFICATE && options.allowInsecure()) {
            try {
                Ping ping = ping(registry, "https", host, client(options, false), options);
                log.warn("Registry " + registry + ": its TLS certificate is NOT verified (allowInsecureRegistries):"
                        + " anyone on the way can read or change what is pushed and the credentials");
                return ping;
            } catch (IOException e) {
                throw unreachable(registry, "https://" + host + "/v2/", e, NetworkFailure.of(e), options);
            }
        }
        boolean plainAllowed = loopback || options.allowInsecure();
        if (plainAllowed && failure != NetworkFailure.CERTIFICATE) {
            try {
                Ping ping = ping(registry, "http", host, client(options, true), options);
                if (loopback) {
                    log.debug("Registry " + registry + " is on this machine and speaks plain HTTP");
                } else {
                    log.warn("Registry " + registry + " is reached over plain HTTP (allowInsecureRegistries): anyone"
                            + " on the way can read or change what is pushed and the credentials");
                }
                return ping;
            } catch (IOException e) {
                log.debug("Registry " + registry + ": http://" + host + "/v2/ failed: " + NetworkFailure.detail(e));
            }
        }
        throw unreachable(registry, "https://" + host + "/v2/", https, failure, options);
    }

    private static Ping ping(String registry, String scheme, String host, HttpClient client, RegistryOptions options)
            throws IOException {
        URI base = URI.create(scheme + "://" + host);
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v2/")).GET()
                .timeout(options.requestTimeout()).header("User-Agent", RegistryTransport.USER_AGENT).build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int status = response.statusCode();
        if (status >= 500 || status == 429) {
            throw new RegistryException("Registry " + registry + " answered HTTP " + status + " to GET "
                    + base.resolve("/v2/") + ": it is failing or overloaded. Try again later", true, null);
        }
        if (status != 200 && status != 401) {
            throw new RegistryException("Registry " + registry + " does not answer as a container registry: GET "
                    + base.resolve("/v2/") + " gave HTTP " + status + " (a registry answers 200 or 401). Check the"
                    + " registry host and port in the image name");
        }
        return new Ping(new RegistryEndpoint(registry, base, client), status,
                response.headers().allValues("WWW-Authenticate"));
    }

    private static RegistryException unreachable(String registry, String url, IOException e, NetworkFailure failure,
                                                 RegistryOptions options) {
        String advice = switch (failure) {
            case UNKNOWN_HOST -> "Check the registry host in the image name, and the machine's DNS or proxy"
                    + " (-Dhttps.proxyHost)";
            case REFUSED, UNREACHABLE, CONNECT_TIMEOUT, TIMEOUT, CLOSED, OTHER -> "Check that the registry is"
                    + " running, the host and port in the image name, and the network or proxy (-Dhttps.proxyHost)";
            case CERTIFICATE -> options.allowInsecure() ? "Check the registry's TLS set-up"
                    : "Add the registry's CA certificate to the JDK's trust store (keytool -importcert, or"
                    + " -Djavax.net.ssl.trustStore=FILE), or for a test registry allow it with "
                    + options.insecureSetting();
            case NOT_TLS -> "To use a registry over plain HTTP, allow it with " + options.insecureSetting();
        };
        return new RegistryException("Cannot reach registry " + registry + " at " + url + ": " + failure.description
                + " (" + NetworkFailure.detail(e) + "). " + advice, false, e);
    }

    private static HttpClient client(RegistryOptions options, boolean verifyCertificates) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER) // redirects are followed by hand, without credentials
                .connectTimeout(options.connectTimeout())
                .proxy(ProxySelector.getDefault());
        if (!verifyCertificates) {
            builder.sslContext(trustingEverything());
        }
        return builder.build();
    }

    static boolean isLoopback(String hostAndPort) {
        String host = hostAndPort.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return host.startsWith("[::1]");
        }
        int colon = host.indexOf(':');
        host = colon < 0 ? host : host.substring(0, colon);
        return host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}");
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /**
     * For allowInsecureRegistries only: a trust manager that accepts any certificate and, being an extended one,
     * also replaces the JDK's host name check.
     */
    private static SSLContext trustingEverything() {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has TLS", e);
        }
    }
}
