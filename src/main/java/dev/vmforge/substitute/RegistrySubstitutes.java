package dev.vmforge.substitute;

import dev.vmforge.BuildLog;
import dev.vmforge.registry.Blob;
import dev.vmforge.registry.BlobLocations;
import dev.vmforge.registry.BlobSource;
import dev.vmforge.registry.CredentialSource;
import dev.vmforge.registry.Descriptor;
import dev.vmforge.registry.Digest;
import dev.vmforge.registry.ImageContent;
import dev.vmforge.registry.ImageManifest;
import dev.vmforge.registry.ImagePusher;
import dev.vmforge.registry.ManifestDocument;
import dev.vmforge.registry.RegistryClient;
import dev.vmforge.registry.RegistryException;
import dev.vmforge.registry.RegistryOptions;
import dev.vmforge.registry.RepositoryClient;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.EntryFile;
import dev.vmforge.store.PluginVersion;
import dev.vmforge.store.Substitutes;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Substitutes in an OCI repository ({@code <substitutes><registry>}), on the registry client of
 * vm:push-docker-image. A substitute is used only when the manifest tagged with the derivation's key is signed (the
 * {@code KEY.sig} artifact) by a trusted key and names this derivation, and each file matches its digest while it
 * downloads. Anything else (a miss, a refusal, a registry that cannot be reached) is a warning and the output is
 * built here; once the registry could not be reached, the goal no longer asks it.
 */
public final class RegistrySubstitutes implements Substitutes {
    private static final long MAX_SIGNATURE = 64 * 1024;

    private final SubstituteSettings settings;
    private final CredentialSource credentials;
    private final Path blobLocations;
    private final BuildLog log;
    private RepositoryClient repository;
    private boolean unreachable;

    /** @param blobLocations where vm:push-docker-image records which repositories have which blobs */
    public RegistrySubstitutes(SubstituteSettings settings, CredentialSource credentials, Path blobLocations,
                               BuildLog log) {
        this.settings = settings;
        this.credentials = credentials;
        this.blobLocations = blobLocations;
        this.log = log;
    }

    /** {@code registry/repository}, for messages. */
    public String where() {
        return settings.repository().registry() + "/" + settings.repository().repository();
    }

    @Override
    public Optional<String> fetch(DerivationKey key, String name, Path out) {
        long start = System.nanoTime();
        try {
            Optional<RepositoryClient> repo = repository();
            if (repo.isEmpty()) {
                return Optional.empty();
            }
            Optional<Verified> verified = verified(repo.get(), key, name);
            if (verified.isEmpty()) {
                log.warn("No substitute of " + name + " " + key.shortHex() + " in " + where() + ": building it here");
                return Optional.empty();
            }
            long bytes = 0;
            for (Descriptor file : verified.get().files()) {
                repo.get().downloadBlob(file, out.resolve(file.annotations().get(SubstituteArtifact.TITLE)));
                bytes += file.size();
            }
            return Optional.of(String.format(Locale.ROOT, "substituted from %s, signed by %s (%d MiB in %.1f s)",
                    where(), verified.get().keyId(), bytes >> 20, (System.nanoTime() - start) / 1e9));
        } catch (TrustedKeys.Refused e) {
            log.warn("Refused the substitute of " + name + " " + key.shortHex() + " from " + where() + ": "
                    + e.getMessage() + "; building it here");
        } catch (RegistryException | UncheckedIOException | IllegalArgumentException e) {
            log.warn("Cannot use the substitute of " + name + " " + key.shortHex() + " from " + where() + ": "
                    + e.getMessage() + "; building it here");
        }
        return Optional.empty();
    }

    /** The files of a signed entry, and who signed it. */
    record Verified(Digest manifest, List<Descriptor> files, String keyId) {
    }

    /**
     * The entry manifest tagged {@code key} once its signature is checked; empty when the repository has none.
     *
     * @throws TrustedKeys.Refused when it is unsigned, signed by no trusted key, or for another derivation
     */
    Optional<Verified> verified(RepositoryClient repo, DerivationKey key, String name) throws TrustedKeys.Refused {
        Optional<ManifestDocument> entry = repo.manifest(SubstituteArtifact.tag(key));
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        Digest digest = entry.get().digest();
        ImageManifest signature = repo.manifest(SubstituteArtifact.signatureTag(key))
                .orElseThrow(() -> new TrustedKeys.Refused("it is unsigned (no " + SubstituteArtifact.signatureTag(key)
                        + " beside it)")).imageManifest();
        if (!SubstituteArtifact.SIGNATURE_TYPE.equals(signature.artifactType()) || signature.layers().size() != 1) {
            throw new TrustedKeys.Refused("its " + SubstituteArtifact.signatureTag(key) + " is not a signature");
        }
        Descriptor blob = signature.layers().get(0);
        if (blob.size() > MAX_SIGNATURE) {
            throw new TrustedKeys.Refused("its signature is " + blob.size() + " bytes, too large for one");
        }
        byte[] bytes = repo.readBlob(blob.digest(), MAX_SIGNATURE);
        String keyId = settings.trustedKeys().verify(SubstituteArtifact.signedBytes(digest), bytes);
        List<Descriptor> files = SubstituteArtifact.files(entry.get().imageManifest(), key, name);
        return Optional.of(new Verified(digest, files, keyId));
    }

    /**
     * The files the repository's signed entry of {@code key} holds, by path and SHA-256: what vm:challenge compares
     * a local build with. Empty when it has none.
     */
    public Optional<Map<String, String>> remoteFiles(DerivationKey key, String name) throws TrustedKeys.Refused {
        Optional<RepositoryClient> repo = repository();
        if (repo.isEmpty()) {
            throw new TrustedKeys.Refused("registry " + where() + " cannot be reached");
        }
        return verified(repo.get(), key, name).map(v -> {
            Map<String, String> files = new LinkedHashMap<>();
            v.files().forEach(f -> files.put(f.annotations().get(SubstituteArtifact.TITLE), f.digest().hex()));
            return files;
        });
    }

    @Override
    public boolean publishes() {
        return settings.publish();
    }

    @Override
    public void publish(DerivationKey key, String name, Path entry, List<EntryFile> files) {
        if (!settings.publish()) {
            return;
        }
        long start = System.nanoTime();
        try {
            Optional<RepositoryClient> repo = repository();
            if (repo.isEmpty()) {
                return;
            }
            ImageManifest manifest = SubstituteArtifact.entry(key, name, PluginVersion.get(), files);
            if (repo.get().manifestDigest(SubstituteArtifact.tag(key)).filter(manifest.digest()::equals).isPresent()
                    && repo.get().manifestDigest(SubstituteArtifact.signatureTag(key)).isPresent()) {
                log.info("  " + name + " " + key.shortHex() + ": already in " + where());
                return;
            }
            List<Blob> blobs = new ArrayList<>();
            blobs.add(Blob.of(manifest.config().mediaType(), SubstituteArtifact.EMPTY_CONFIG));
            for (int i = 0; i < files.size(); i++) {
                blobs.add(new Blob(manifest.layers().get(i), BlobSource.ofFile(entry.resolve(files.get(i).path()))));
            }
            ImagePusher pusher = new ImagePusher(BlobLocations.in(blobLocations), log);
            pusher.push(repo.get(), ImageContent.of(manifest, blobs), List.of(SubstituteArtifact.tag(key)));
            SigningKey signer = settings.signingKey().orElseThrow();
            byte[] signature = signer.sign(SubstituteArtifact.signedBytes(manifest.digest()));
            ImageManifest signed = SubstituteArtifact.signature(key, manifest.digest(), signature);
            pusher.push(repo.get(), ImageContent.of(signed, List.of(
                            Blob.of(signed.config().mediaType(), SubstituteArtifact.EMPTY_CONFIG),
                            Blob.of(SubstituteArtifact.SIGNATURE_FILE_TYPE, signature))),
                    List.of(SubstituteArtifact.signatureTag(key)));
            log.info(String.format(Locale.ROOT, "Published %s %s to %s, signed by %s (%.1f s)", name,
                    key.shortHex(), where(), signer.keyId(), (System.nanoTime() - start) / 1e9));
        } catch (RegistryException | UncheckedIOException | IllegalArgumentException e) {
            log.warn("Could not publish " + name + " " + key.shortHex() + " to " + where() + ": " + e.getMessage());
        }
    }

    /** The repository, connected on first use; empty (after one warning) when the registry cannot be reached. */
    private synchronized Optional<RepositoryClient> repository() {
        if (repository == null && !unreachable) {
            try {
                RegistryOptions options = RegistryOptions.defaults(log).withAllowInsecure(settings.allowInsecure())
                        .withRetries(2, Duration.ofSeconds(1))
                        .withInsecureSetting("-Dvm.substitutes.allowInsecureRegistry=true");
                RegistryClient client = RegistryClient.connect(settings.repository().registry(), credentials, options);
                String path = settings.repository().repository();
                repository = settings.publish() ? client.push(path) : client.pull(path);
            } catch (RegistryException e) {
                unreachable = true;
                log.warn("Substitutes: registry " + settings.repository().registry() + " cannot be reached ("
                        + e.getMessage() + "); everything is built here");
            }
        }
        return Optional.ofNullable(repository);
    }
}
