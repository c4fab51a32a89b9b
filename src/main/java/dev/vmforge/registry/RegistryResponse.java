package dev.vmforge.registry;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Optional;

/** A registry's answer with its (small) body read; {@code uri} is the address that answered. */
record RegistryResponse(int status, HttpHeaders headers, byte[] body, URI uri) {
    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The {@code Location} header resolved against the request's address (registries often send a path). */
    URI location(String registry) {
        String location = header("Location").orElseThrow(() -> new RegistryException("Registry " + registry
                + " answered HTTP " + status + " to " + uri.getPath() + " without the Location header it needs"));
        try {
            return uri.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new RegistryException("Registry " + registry + " answered an invalid Location header");
        }
    }

    /** The digest the registry says it stored ({@code Docker-Content-Digest}), if it says one. */
    Optional<Digest> contentDigest(String registry) {
        Optional<String> text = header("Docker-Content-Digest");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Digest.parse(text.get().strip()));
        } catch (IllegalArgumentException e) {
            throw new RegistryException("Registry " + registry + " answered an invalid Docker-Content-Digest header");
        }
    }
}
