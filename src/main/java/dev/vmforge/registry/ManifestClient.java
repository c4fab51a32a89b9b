package dev.vmforge.registry;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Manifests of one repository: fetched with their digest checked (against the digest asked for, or the one the
 * registry names), pushed with the digest the registry answers checked against ours.
 */
final class ManifestClient {
    private static final String ACCEPT = String.join(", ", MediaTypes.MANIFESTS);

    private final RegistryTransport transport;
    private final Retry retry;
    private final String repository;
    private final Set<AccessScope> scopes;

    ManifestClient(RegistryTransport transport, String repository, Set<AccessScope> scopes) {
        this.transport = transport;
        this.retry = new Retry(transport.registry(), transport.options());
        this.repository = repository;
        this.scopes = scopes;
    }

    /** The manifest that {@code reference} (a tag or digest) names; empty if there is none. */
    Optional<ManifestDocument> get(String reference) {
        return retry.run("fetching the manifest " + repository + ":" + reference, attempt -> {
            Optional<RegistryResponse> response = ask("GET", reference);
            if (response.isEmpty()) {
                return Optional.empty();
            }
            String mediaType = response.get().header("Content-Type").map(t -> t.split(";")[0].strip())
                    .orElse(MediaTypes.OCI_MANIFEST);
            ManifestDocument manifest = new ManifestDocument(mediaType, response.get().body());
            Digest actual = manifest.digest();
            Optional<Digest> expected = Digest.isDigest(reference) ? Optional.of(Digest.parse(reference))
                    : response.get().contentDigest(transport.registry()).filter(d -> d.algorithm().equals("sha256"));
            if (expected.isPresent() && !expected.get().equals(actual)) {
                throw new RegistryException("Registry " + transport.registry() + " sent a manifest for "
                        + repository + ":" + reference + " whose digest is " + actual + ", not " + expected.get()
                        + "; it was refused");
            }
            return Optional.of(manifest);
        });
    }

    /** The digest of the manifest {@code reference} names, without fetching it; empty if there is none. */
    Optional<Digest> digest(String reference) {
        return retry.run("looking up " + repository + ":" + reference, attempt ->
                ask("HEAD", reference).flatMap(r -> r.contentDigest(transport.registry())));
    }

    /** {@code GET} or {@code HEAD} of a manifest: its answer, or empty when the registry has none (404). */
    private Optional<RegistryResponse> ask(String method, String reference) throws java.io.IOException {
        RegistryResponse response = transport.send(new RegistryTransport.Call(method,
                transport.endpoint().api(repository + "/manifests/" + reference), scopes, Map.of("Accept", ACCEPT),
                null, transport.options().requestTimeout()));
        if (response.status() == 404) {
            return Optional.empty();
        }
        if (response.status() != 200) {
            throw transport.failure(response, repository, scopes.stream().anyMatch(AccessScope::push),
                    "reading the manifest " + reference);
        }
        return Optional.of(response);
    }

    /** Pushes {@code manifest} under {@code reference}; returns its digest, as the registry confirmed it. */
    Digest put(String reference, ManifestDocument manifest) {
        Digest digest = manifest.digest();
        return retry.run("pushing the manifest " + repository + ":" + reference, attempt -> {
            byte[] bytes = manifest.bytes();
            RegistryResponse response = transport.send(new RegistryTransport.Call("PUT",
                    transport.endpoint().api(repository + "/manifests/" + reference), scopes,
                    Map.of("Content-Type", manifest.mediaType()),
                    java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes),
                    transport.options().timeoutFor(bytes.length)));
            if (response.status() != 201 && response.status() != 200) {
                throw transport.failure(response, repository, true, "pushing the manifest " + reference);
            }
            Optional<Digest> answered = response.contentDigest(transport.registry());
            if (answered.isPresent() && !answered.get().equals(digest)) {
                throw new RegistryException("Registry " + transport.registry() + " stored the manifest of "
                        + repository + ":" + reference + " as " + answered.get() + ", but its digest is " + digest
                        + "; the registry changed it, so pinning by digest would not work");
            }
            return digest;
        });
    }
}
