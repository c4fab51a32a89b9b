package dev.vmforge.registry;

import dev.vmforge.BuildLog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The places credentials are looked up in, first match wins: the build tool's own (Maven's settings.xml, given
 * by the caller), then {@code docker login}'s file, then {@code podman login}'s.
 */
public final class CredentialChain implements CredentialSource {
    private final List<CredentialSource> sources;

    private CredentialChain(List<CredentialSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /**
     * {@code first} (e.g. settings.xml servers), then {@code $DOCKER_CONFIG/config.json} or
     * {@code ~/.docker/config.json}, then {@code $REGISTRY_AUTH_FILE}, {@code $XDG_RUNTIME_DIR/containers/auth.json}
     * and {@code $XDG_CONFIG_HOME/containers/auth.json} (default {@code ~/.config}), where podman keeps them.
     *
     * @param environment the process environment (tests pass their own)
     */
    public static CredentialChain standard(CredentialSource first, Map<String, String> environment, Path home,
                                           BuildLog log) {
        String path = environment.getOrDefault("PATH", "");
        List<CredentialSource> sources = new ArrayList<>();
        sources.add(first);
        String dockerConfig = environment.get("DOCKER_CONFIG");
        Path dockerFile = dockerConfig != null && !dockerConfig.isBlank() ? Path.of(dockerConfig, "config.json")
                : home.resolve(".docker/config.json");
        sources.add(new DockerConfigFile(dockerFile, dockerConfig != null && !dockerConfig.isBlank()
                ? "$DOCKER_CONFIG/config.json" : "~/.docker/config.json", path, log));
        Set<Path> authFiles = new LinkedHashSet<>();
        String authFile = environment.get("REGISTRY_AUTH_FILE");
        if (authFile != null && !authFile.isBlank()) {
            authFiles.add(Path.of(authFile));
        }
        String runtime = environment.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            authFiles.add(Path.of(runtime, "containers", "auth.json"));
        }
        String config = environment.get("XDG_CONFIG_HOME");
        authFiles.add((config != null && !config.isBlank() ? Path.of(config) : home.resolve(".config"))
                .resolve("containers/auth.json"));
        for (Path file : authFiles) {
            sources.add(new DockerConfigFile(file, file.toString(), path, log));
        }
        return new CredentialChain(sources);
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
        for (CredentialSource source : sources) {
            Optional<Credentials> found = source.lookup(registry);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }
}
