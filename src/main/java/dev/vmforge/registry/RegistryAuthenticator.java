package dev.vmforge.registry;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.vmforge.BuildLog;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Authorizes requests to one registry as its challenge asks: Basic with the user's credentials, or the token flow
 * ({@code Bearer realm=...,service=...}), where a token for the request's scopes is fetched from the realm with the
 * credentials (or anonymously) and kept until it expires. Tokens and passwords go only into request headers, never
 * into logs or messages.
 */
final class RegistryAuthenticator {
    private static final long MINIMUM_TOKEN_SECONDS = 60;

    private final RegistryEndpoint endpoint;
    private final Optional<Credentials> credentials;
    private final RegistryOptions options;
    private final Map<String, Token> tokens = new HashMap<>();
    private volatile AuthChallenge challenge;

    private record Token(String value, Instant expires) {
        @Override
        public String toString() {
            return "Token[expires " + expires + "]";
        }
    }

    RegistryAuthenticator(RegistryEndpoint endpoint, Optional<Credentials> credentials, List<String> pingChallenges,
                          RegistryOptions options) {
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.options = options;
        this.challenge = AuthChallenge.select(pingChallenges).orElse(null);
    }

    Optional<Credentials> credentials() {
        return credentials;
    }

    /** Whether the registry uses the token flow (then a refused request after a fresh token means "no access"). */
    boolean usesTokens() {
        AuthChallenge c = challenge;
        return c != null && c.isBearer();
    }

    /** Whether the registry asked for Basic authentication and this client has credentials for it. */
    boolean sendsBasic() {
        AuthChallenge c = challenge;
        return c != null && c.isBasic() && credentials.isPresent();
    }

    /** The {@code Authorization} header for a request needing {@code scopes}; empty to send none. */
    Optional<String> header(Set<AccessScope> scopes) throws IOException {
        AuthChallenge c = challenge;
        if (c == null) {
            return Optional.empty();
        }
        if (c.isBasic()) {
            return credentials.filter(cr -> !cr.identityToken()).map(RegistryAuthenticator::basic);
        }
        if (c.isBearer()) {
            return Optional.of("Bearer " + token(c, scopes).value());
        }
        return Optional.empty();
    }

    /**
     * Learns from a 401 answer: the challenge it carries replaces the known one and the token used for these scopes
     * is dropped. Returns whether sending the request again may succeed.
     */
    boolean unauthorized(List<String> wwwAuthenticate, Set<AccessScope> scopes) {
        Optional<AuthChallenge> given = AuthChallenge.select(wwwAuthenticate);
        if (given.isEmpty()) {
            return false;
        }
        AuthChallenge previous = challenge;
        challenge = given.get();
        if (given.get().isBearer()) {
            synchronized (tokens) {
                tokens.remove(key(scopes));
            }
            return true;
        }
        // Basic: a second try helps only if the first one was sent without credentials
        return given.get().isBasic() && credentials.isPresent() && (previous == null || !previous.isBasic());
    }

    private Token token(AuthChallenge c, Set<AccessScope> scopes) throws IOException {
        String key = key(scopes);
        synchronized (tokens) {
            Token cached = tokens.get(key);
            if (cached != null && Instant.now().isBefore(cached.expires())) {
                return cached;
            }
        }
        Token fresh = fetchToken(c, scopes);
        synchronized (tokens) {
            tokens.put(key, fresh);
        }
        return fresh;
    }

    private Token fetchToken(AuthChallenge c, Set<AccessScope> scopes) throws IOException {
        String realmText = c.param("realm").orElseThrow(() -> new RegistryException("Registry " + endpoint.registry()
                + " asks for a token but names no realm to get it from (WWW-Authenticate has no realm)"));
        URI realm;
        try {
            realm = URI.create(realmText);
        } catch (IllegalArgumentException e) {
            throw new RegistryException("Registry " + endpoint.registry() + " names an invalid token realm");
        }
        if (!"https".equalsIgnoreCase(realm.getScheme())
                && !("http".equalsIgnoreCase(realm.getScheme()) && (endpoint.plainHttp() || options.allowInsecure()))) {
            throw new RegistryException("Registry " + endpoint.registry() + " sends clients to " + realm.getScheme()
                    + "://" + realm.getHost() + " for tokens; credentials go only to an https token service unless "
                    + options.insecureSetting());
        }
        List<String> scopeTexts = new java.util.ArrayList<>(scopes.stream().map(AccessScope::toString).toList());
        c.param("scope").filter(s -> !scopeTexts.contains(s)).ifPresent(scopeTexts::add);
        Optional<String> service = c.param("service");
        HttpRequest.Builder request;
        if (credentials.isPresent() && credentials.get().identityToken()) {
            // OAuth2 refresh-token grant, as docker does with an identity token
            StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=vm-maven-plugin");
            service.ifPresent(s -> form.append("&service=").append(encode(s)));
            form.append("&scope=").append(encode(String.join(" ", scopeTexts)));
            form.append("&refresh_token=").append(encode(credentials.get().secret()));
            request = HttpRequest.newBuilder(realm).POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                    .header("Content-Type", "application/x-www-form-urlencoded");
        } else {
            StringBuilder query = new StringBuilder();
            service.ifPresent(s -> query.append("service=").append(encode(s)));
            for (String scope : scopeTexts) {
                query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
            }
            String separator = realm.getRawQuery() == null ? "?" : "&";
            request = HttpRequest.newBuilder(URI.create(realm + (query.isEmpty() ? "" : separator + query))).GET();
            credentials.ifPresent(cr -> request.header("Authorization", basic(cr)));
        }
        request.timeout(options.requestTimeout()).header("User-Agent", RegistryTransport.USER_AGENT);
        HttpResponse<byte[]> response;
        try {
            response = endpoint.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw new RegistryException("Cannot get a token for registry " + endpoint.registry() + " from "
                    + realm.getHost() + ": " + NetworkFailure.of(e).description + " (" + NetworkFailure.detail(e)
                    + "). Check the network or proxy and try again", true, e);
        }
        log().debug("Token for " + endpoint.registry() + " (" + String.join(" ", scopeTexts) + ") from "
                + realm.getHost() + ": HTTP " + response.statusCode());
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw RegistryErrors.credentialsRefused(endpoint.registry(), credentials, realm.getHost());
        }
        if (status != 200) {
            throw new RegistryException("The token service " + realm.getHost() + " of registry " + endpoint.registry()
                    + " answered HTTP " + status + RegistryErrors.registryWords(response.body())
                    + ". Try again later", status >= 500 || status == 429, null);
        }
        return parseToken(response.body());
    }

    private Token parseToken(byte[] body) {
        try {
            JsonObject json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8)).getAsJsonObject();
            String value = json.has("token") ? json.get("token").getAsString()
                    : json.has("access_token") ? json.get("access_token").getAsString() : null;
            if (value == null || value.isEmpty()) {
                throw new RegistryException("The token service of registry " + endpoint.registry()
                        + " answered without a token");
            }
            long seconds = json.has("expires_in") ? json.get("expires_in").getAsLong() : MINIMUM_TOKEN_SECONDS;
            // renew a little before the registry would refuse it
            return new Token(value, Instant.now().plusSeconds(Math.max(seconds, MINIMUM_TOKEN_SECONDS) - 10));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new RegistryException("The token service of registry " + endpoint.registry()
                    + " answered something that is not a token (not JSON)");
        }
    }

    private BuildLog log() {
        return options.log();
    }

    private static String basic(Credentials c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.secret())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String key(Set<AccessScope> scopes) {
        return scopes.stream().map(AccessScope::toString).collect(Collectors.toCollection(TreeSet::new)).toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
