package dev.vmforge.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The messages of failed registry requests: each names the registry, what was being done and what to do.
 * The registry's own words come from its JSON error body (codes such as {@code DENIED}); bodies of other
 * kinds, request headers and credentials never appear.
 */
final class RegistryErrors {
    private RegistryErrors() {
    }

    static RegistryException credentialsRefused(String registry, Optional<Credentials> credentials, String where) {
        if (credentials.isEmpty()) {
            return new RegistryException("Registry " + registry + " (" + where + ") refuses anonymous access. "
                    + howToLogIn(registry));
        }
        return new RegistryException("Registry " + registry + " refused the credentials of "
                + credentials.get().describe() + ": wrong user name or password (or an expired token)? Fix them there, or"
                + " log in again (docker login " + registry + ", or podman login " + registry + "), and push again");
    }

    /** A 401 that a fresh authorization did not cure, or a 403. */
    static RegistryException refused(String registry, String repository, boolean push, Optional<Credentials> credentials,
                                     boolean tokenFlow, RegistryResponse response) {
        String action = push ? "push to" : "pull from";
        if (credentials.isEmpty()) {
            return new RegistryException("Registry " + registry + " needs credentials to " + action + " " + repository
                    + registryWords(response.body()) + ", and none were found for it. " + howToLogIn(registry));
        }
        if (response.status() == 401 && !tokenFlow) {
            return credentialsRefused(registry, credentials, registry);
        }
        String codes = registryCodes(response.body());
        return new RegistryException("Registry " + registry + " does not let " + credentials.get().describe() + " "
                + action + " " + repository + " (HTTP " + response.status() + (codes.isEmpty() ? "" : ": " + codes)
                + "). Check the repository name, or ask the registry's administrators for " + (push ? "push" : "pull")
                + " access to it");
    }

    /** Any other unexpected answer. */
    static RegistryException unexpected(String registry, String what, RegistryResponse response) {
        int status = response.status();
        String words = registryWords(response.body());
        String advice;
        if (status == 404) {
            advice = "The repository or content does not exist there; a registry that does not create repositories"
                    + " on push needs it created first (e.g. a project in Harbor)";
        } else if (status == 429) {
            advice = "The registry limits the request rate: wait a while and try again";
        } else if (status >= 500) {
            advice = "The registry failed: try again later, or ask its administrators";
        } else if (status == 413) {
            advice = "The registry refuses content this large: ask its administrators to raise the limit";
        } else {
            advice = "The registry refused the request";
        }
        return new RegistryException("Registry " + registry + " answered HTTP " + status + words + " while " + what
                + ". " + advice, status >= 500 || status == 429, null);
    }

    static RegistryException network(String registry, String what, IOException e) {
        NetworkFailure failure = NetworkFailure.of(e);
        return new RegistryException("Lost registry " + registry + " while " + what + ": " + failure.description + " ("
                + NetworkFailure.detail(e) + "). Check the network or proxy and the registry, then run the same push"
                + " again: what is already there is not sent twice", failure != NetworkFailure.UNKNOWN_HOST, e);
    }

    static String howToLogIn(String registry) {
        return "Add a <server> with <id>" + registry + "</id>, <username> and <password> to Maven's settings.xml"
                + " (~/.m2/settings.xml), or log in with docker login " + registry + " (or podman login " + registry + ")";
    }

    /**
     * The registry's error codes and messages, {@code " (DENIED: requested access to the resource is denied)"}, or
     * empty when the body is not the distribution spec's error document.
     */
    static String registryWords(byte[] body) {
        String codes = registryCodes(body);
        return codes.isEmpty() ? "" : " (" + codes + ")";
    }

    /** {@code DENIED: requested access to the resource is denied}, or empty. */
    static String registryCodes(byte[] body) {
        if (body == null || body.length == 0 || body.length > 64 * 1024) {
            return "";
        }
        try {
            JsonElement json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            if (!json.isJsonObject() || !json.getAsJsonObject().has("errors")) {
                return "";
            }
            List<String> words = new ArrayList<>();
            for (JsonElement error : json.getAsJsonObject().getAsJsonArray("errors")) {
                JsonObject e = error.getAsJsonObject();
                String code = e.has("code") ? e.get("code").getAsString() : "";
                String message = e.has("message") && e.get("message").isJsonPrimitive()
                        ? e.get("message").getAsString() : "";
                words.add(printable(code + (message.isEmpty() ? "" : ": " + message)));
            }
            return String.join("; ", words);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** At most one line of 200 printable characters: a registry's text goes into our log. */
    private static String printable(String text) {
        String line = text.replaceAll("\\p{Cntrl}", " ");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
