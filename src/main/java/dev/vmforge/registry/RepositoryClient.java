package dev.vmforge.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One repository of a registry ({@code team/app} on {@code registry.example.com}): its blobs and manifests, as the
 * OCI distribution spec defines them. Every operation retries transient failures and fails with a
 * {@link RegistryException} that says what to do. Content that comes from the registry is verified against its
 * digest before it is returned or kept.
 */
public final class RepositoryClient {
    private final RegistryTransport transport;
    private final String repository;
    private final Set<AccessScope> scopes;
    private final boolean push;
    private final Retry retry;

    RepositoryClient(RegistryTransport transport, String repository, boolean push) {
        this.transport = transport;
        this.repository = repository;
        // one token for everything a push does: reads too, so the token flow is walked once
        this.scopes = Set.of(new AccessScope(repository, push));
        this.push = push;
        this.retry = new Retry(transport.registry(), transport.options());
    }

    public String registry() {
        return transport.registry();
    }

    public String repository() {
        return repository;
    }

    /** The size of the blob if the repository has it ({@code HEAD}), else empty. */
    public Optional<Long> blobSize(Digest digest) {
        return retry.run("looking up " + digest.shortHex() + " in " + repository, attempt -> {
            RegistryResponse response = transport.send(transport.call("HEAD",
                    transport.endpoint().api(repository + "/blobs/" + digest), scopes));
            if (response.status() == 404) {
                return Optional.empty();
            }
            if (response.status() != 200) {
                throw transport.failure(response, repository, push, "looking up the blob " + digest);
            }
            return Optional.of(response.header("Content-Length").map(Long::parseLong).orElse(-1L));
        });
    }

    /**
     * Mounts a blob from another repository of the same registry, which is how a blob gets into a repository
     * without being sent. Returns false if the registry did not (it lacks the blob there, or does not mount).
     */
    public boolean mountBlob(Digest digest, String fromRepository) {
        BlobUploader uploader = new BlobUploader(transport, repository);
        Optional<java.net.URI> session = retry.run("mounting " + digest.shortHex() + " from " + fromRepository,
                attempt -> uploader.mount(digest, fromRepository));
        session.ifPresent(s -> {
            try {
                transport.send(transport.call("DELETE", s, scopes));
            } catch (IOException | RegistryException e) {
                transport.options().log().debug("Could not cancel an upload session: " + e.getMessage());
            }
        });
        return session.isEmpty();
    }

    /** Uploads a blob (whether or not the repository has it already: ask {@link #blobSize} first). */
    public void uploadBlob(Blob blob) {
        new BlobUploader(transport, repository).upload(blob, null);
    }

    /** Mounts the blob from the first of {@code mountFrom} that has it, else uploads it. */
    BlobUploader.Outcome putBlob(Blob blob, List<String> mountFrom) {
        return new BlobUploader(transport, repository).put(blob, mountFrom);
    }

    /** Downloads a blob to {@code target} (replaced atomically), verified against {@code descriptor}. */
    public void downloadBlob(Descriptor descriptor, Path target) {
        new BlobDownloader(transport, repository, scopes).toFile(descriptor.digest(), descriptor.size(), target);
    }

    /** The verified bytes of a small blob, refused if larger than {@code maxSize}. */
    public byte[] readBlob(Digest digest, long maxSize) {
        return new BlobDownloader(transport, repository, scopes).toBytes(digest, maxSize);
    }

    /** The manifest a tag or digest names, verified; empty if there is none. */
    public Optional<ManifestDocument> manifest(String reference) {
        return new ManifestClient(transport, repository, scopes).get(reference);
    }

    /** The digest of the manifest a tag names ({@code HEAD}); empty if there is none. */
    public Optional<Digest> manifestDigest(String reference) {
        return new ManifestClient(transport, repository, scopes).digest(reference);
    }

    /** Pushes a manifest under a tag (or its digest); every blob it names must be in the repository already. */
    public Digest putManifest(String reference, ManifestDocument manifest) {
        return new ManifestClient(transport, repository, scopes).put(reference, manifest);
    }
}
