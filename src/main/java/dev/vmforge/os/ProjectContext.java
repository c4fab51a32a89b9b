package dev.vmforge.os;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the configuration reader needs to know about the Maven project, without Maven types:
 * relative paths resolve against {@code baseDirectory}; defaults derive from the coordinates.
 */
public record ProjectContext(Path baseDirectory, String artifactId, String version, String finalName,
                             String packaging) {
    public ProjectContext {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(version, "version");
    }
}
