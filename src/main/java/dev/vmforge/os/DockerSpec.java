package dev.vmforge.os;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code <docker>} block.
 *
 * @param entrypoint empty means the system's init in container mode
 * @param ports      exposed ports as {@code 8080/tcp}
 */
public record DockerSpec(String name, Format format, List<String> entrypoint, List<String> ports,
                         Map<String, String> environment, Map<String, String> labels) {

    public DockerSpec {
        entrypoint = List.copyOf(entrypoint);
        ports = List.copyOf(ports);
        environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public enum Format { DOCKER, OCI }
}
