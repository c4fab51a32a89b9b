package dev.vmforge.registry;

import java.util.Optional;

/** Somewhere credentials for a registry may be filed: Maven's settings.xml, docker's or podman's files. */
@FunctionalInterface
public interface CredentialSource {
    /** Credentials for {@code registry} ({@code host[:port]}, {@code docker.io} for Docker Hub), if filed here. */
    Optional<Credentials> lookup(String registry);

    static CredentialSource none() {
        return registry -> Optional.empty();
    }
}
