package dev.vmforge.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vmforge.BuildLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials filed by {@code docker login} ({@code ~/.docker/config.json}) or {@code podman login}
 * ({@code auth.json}, the same format): a credential helper for the registry ({@code credHelpers}), else the
 * credential store for all registries ({@code credsStore}), else the file's own {@code auths} entry
 * ({@code auth}: base64 of {@code user:password}; {@code identitytoken}). Keys are matched as docker does:
 * {@code host:port}, with or without {@code https://} and a path; Docker Hub is {@code https://index.docker.io/v1/}.
 */
final class DockerConfigFile implements CredentialSource {
    private final Path file;
    private final String description;
    private final String pathVariable;
    private final BuildLog log;

    DockerConfigFile(Path file, String description, String pathVariable, BuildLog log) {
        this.file = file;
        this.description = description;
        this.pathVariable = pathVariable;
        this.log = log;
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonObject config;
        try {
            config = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot read " + description + " (" + file + "): " + e.getClass().getSimpleName()
                    + "; its credentials are not used");
            return Optional.empty();
        }
        String key = normalize(registry);
        String serverUrl = RegistryReference.isDockerHub(registry) ? RegistryReference.DOCKER_HUB_INDEX : key;
        Optional<String> helper = entry(config, "credHelpers", key).filter(JsonElement::isJsonPrimitive)
                .map(JsonElement::getAsString);
        if (helper.isPresent()) {
            return new CredentialHelper(helper.get(), pathVariable, log).get(serverUrl, description + " credHelpers");
        }
        if (config.has("credsStore") && config.get("credsStore").isJsonPrimitive()) {
            Optional<Credentials> stored = new CredentialHelper(config.get("credsStore").getAsString(), pathVariable,
                    log).get(serverUrl, description + " credsStore");
            if (stored.isPresent()) {
                return stored;
            }
        }
        return entry(config, "auths", key).filter(JsonElement::isJsonObject).map(JsonElement::getAsJsonObject)
                .flatMap(this::fromAuth);
    }

    private Optional<Credentials> fromAuth(JsonObject auth) {
        String origin = description + " auths";
        String username = string(auth, "username");
        String password = string(auth, "password");
        String encoded = string(auth, "auth");
        if (!encoded.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(encoded.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                log.warn(description + " has an 'auth' entry that is not base64; it is not used");
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                username = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
        }
        String identityToken = string(auth, "identitytoken");
        if (!identityToken.isEmpty()) {
            return Optional.of(new Credentials(username.isEmpty() ? "<token>" : username, identityToken, true, origin));
        }
        if (username.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Credentials.password(username, password, origin));
    }

    /** The member of {@code section} whose key names {@code registry}. */
    private static Optional<JsonElement> entry(JsonObject config, String section, String registry) {
        if (!config.has(section) || !config.get(section).isJsonObject()) {
            return Optional.empty();
        }
        for (Map.Entry<String, JsonElement> e : config.getAsJsonObject(section).entrySet()) {
            if (normalize(e.getKey()).equals(registry)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** {@code https://Host:5000/v1/} → {@code host:5000}; Docker Hub's names → {@code docker.io}. */
    static String normalize(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT);
        k = k.replaceFirst("^[a-z]+://", "");
        int slash = k.indexOf('/');
        k = slash < 0 ? k : k.substring(0, slash);
        return RegistryReference.isDockerHub(k) ? RegistryReference.DOCKER_HUB : k;
    }

    private static String string(JsonObject json, String name) {
        JsonElement value = json.get(name);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : "";
    }
}
