package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.docker.ImageArchive;
import dev.vmforge.os.DockerPushSpec;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.registry.BlobLocations;
import dev.vmforge.registry.CredentialChain;
import dev.vmforge.registry.CredentialSource;
import dev.vmforge.registry.ImageContent;
import dev.vmforge.registry.ImagePusher;
import dev.vmforge.registry.MediaTypes;
import dev.vmforge.registry.PushResult;
import dev.vmforge.registry.RegistryClient;
import dev.vmforge.registry.RegistryException;
import dev.vmforge.registry.RegistryOptions;
import dev.vmforge.registry.RegistryReference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code vm:push-docker-image} after the tarball is built: its manifest, config and layers pushed as they are in
 * the tarball (so the registry gets exactly the tested artifact, and the same config digest), to the repository in
 * {@code <docker><name>} under its tag and every {@code <tags>}. Writes the manifest digest to
 * {@code target/vm/docker-digest}.
 */
final class DockerImagePush {
    private final BuildContext context;
    private final BuildLog log;

    DockerImagePush(BuildContext context) {
        this.context = context;
        this.log = context.log();
    }

    /** The registry and repository {@code <docker><name>} names (Docker Hub when it names no registry). */
    static RegistryReference target(DockerSpec docker) {
        try {
            return RegistryReference.parse(docker.name());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("docker/name", "'" + docker.name() + "' cannot be pushed: "
                    + e.getMessage());
        }
    }

    /** Pushing needs the network: refused in Maven's offline mode before anything is built. */
    void checkOnline(DockerSpec docker) {
        if (context.offline()) {
            throw new BuildException("vm:push-docker-image pushes to registry " + target(docker).registry()
                    + ", which needs the network: run it without -o (Maven's offline mode)");
        }
    }

    PushResult push(Path archive, DockerSpec docker, DockerPushSpec spec, CredentialSource settings) {
        RegistryReference target = target(docker);
        try {
            return push(archive, target, spec, settings);
        } catch (RegistryException e) {
            throw new BuildException("Cannot push " + target + " (<docker><name>): " + e.getMessage(), e);
        }
    }

    private PushResult push(Path archive, RegistryReference target, DockerPushSpec spec, CredentialSource settings) {
        List<String> tags = new ArrayList<>(List.of(target.reference()));
        spec.tags().stream().filter(t -> !tags.contains(t)).forEach(tags::add);
        long start = System.nanoTime();
        Path digestFile = context.workDirectory().resolve("docker-digest");
        delete(digestFile); // until this push has succeeded, no digest is there to deploy
        ImageContent image = ImageArchive.read(archive);
        CredentialSource credentials = CredentialChain.standard(settings, System.getenv(),
                Path.of(System.getProperty("user.home")), log);
        RegistryOptions options = RegistryOptions.defaults(log).withAllowInsecure(spec.allowInsecureRegistries());
        RegistryClient registry = RegistryClient.connect(target.registry(), credentials, options);
        long bytes = image.blobs().stream().mapToLong(b -> b.size()).sum();
        log.info(String.format(Locale.ROOT, "Pushing %s (%s, %d blobs, %s)%s", target,
                image.manifest().mediaType().equals(MediaTypes.OCI_MANIFEST) ? "OCI" : "Docker v2 schema 2",
                image.blobs().size(), Engine.humanSize(bytes), registry.credentials()
                        .map(c -> " as " + c.describe()).orElse(" without credentials")));
        PushResult result = new ImagePusher(BlobLocations.in(context.cacheDirectory().resolve("registry")
                .resolve("blob-locations")), log).push(registry.push(target.repository()), image, tags);
        writeAtomically(digestFile, result.digest().toString());
        log.info(String.format(Locale.ROOT, "%-34s %s(%.1f s)", "Image pushed", summary(result),
                (System.nanoTime() - start) / 1e9));
        log.info("Pushed " + result.pinned() + " as " + String.join(", ", tags.stream()
                .map(t -> target.withReference(t).toString()).toList()) + "; digest in " + digestFile);
        return result;
    }

    private static String summary(PushResult r) {
        List<String> parts = new ArrayList<>();
        parts.add(r.uploaded() + " uploaded (" + Engine.humanSize(r.uploadedBytes()) + ")");
        if (r.mounted() > 0) {
            parts.add(r.mounted() + " mounted");
        }
        if (r.existing() > 0) {
            parts.add(r.existing() + " already there");
        }
        return String.join(", ", parts) + " ";
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file, e);
        }
    }

    private static void writeAtomically(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
