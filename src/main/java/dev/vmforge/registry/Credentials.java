package dev.vmforge.registry;

import java.util.Objects;

/**
 * A user's credentials for one registry and where they were found. {@link #toString()} never shows the
 * secret, so a credential that ends up in a log or an exception message leaks nothing.
 *
 * @param identityToken whether {@code secret} is an OAuth2 refresh token (what {@code docker login} stores for
 *                      some registries, as user {@code <token>}) rather than a password
 * @param origin        where they came from, for messages: {@code settings.xml server 'host:port'}, ...
 */
public record Credentials(String username, String secret, boolean identityToken, String origin) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(origin, "origin");
    }

    public static Credentials password(String username, String password, String origin) {
        return new Credentials(username, password, false, origin);
    }

    /** Who, from where, for messages: {@code user 'alice' (settings.xml server 'host:5000')}. */
    public String describe() {
        return (identityToken ? "an identity token" : "user '" + username + "'") + " (from " + origin + ")";
    }

    @Override
    public String toString() {
        return "Credentials[" + describe() + "]";
    }
}
