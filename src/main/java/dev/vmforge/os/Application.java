package dev.vmforge.os;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The project's own jar and runtime dependencies, installed under {@code directory} and run as a service.
 *
 * @param name      names the launcher {@code bin/NAME}, the jar {@code NAME.jar} and the default service: the
 *                  project's artifactId
 * @param mainClass empty means "the jar manifest's Main-Class"
 */
public record Application(String name, String directory, Optional<String> mainClass, List<String> jvmArguments) {
    private static final Pattern CLASS_NAME = Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
            + "(?:\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    public Application {
        jvmArguments = List.copyOf(jvmArguments);
    }

    /** A fully qualified Java class name, such as {@code com.example.Main}: what {@code java} takes as its main class. */
    public static boolean isClassName(String text) {
        return text != null && CLASS_NAME.matcher(text).matches();
    }
}
