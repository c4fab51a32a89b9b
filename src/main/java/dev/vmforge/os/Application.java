package dev.vmforge.os;

import java.util.List;
import java.util.Optional;

/**
 * The project's own jar and runtime dependencies, installed under {@code directory} and run as a service.
 *
 * @param name      names the launcher {@code bin/NAME}, the jar {@code NAME.jar} and the default service: the
 *                  project's artifactId
 * @param mainClass empty means "the jar manifest's Main-Class"
 */
public record Application(String name, String directory, Optional<String> mainClass, List<String> jvmArguments) {
    public Application {
        jvmArguments = List.copyOf(jvmArguments);
    }
}
