package dev.vmforge.os;

import java.util.List;

/**
 * What {@code vm:push-docker-image} adds to the {@code <docker>} block: further tags, and whether registries
 * without (verified) TLS are allowed. Kept apart from {@link DockerSpec}, whose fields decide the tarball's bytes.
 *
 * @param tags tags pushed besides the one in {@code <docker><name>}, validated, without repeats
 */
public record DockerPushSpec(List<String> tags, boolean allowInsecureRegistries) {
    public DockerPushSpec {
        tags = List.copyOf(tags);
    }
}
