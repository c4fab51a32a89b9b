package dev.vmforge.docker;

import dev.vmforge.os.InvalidConfigurationException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated image name {@code [registry[:port]/]path[:tag]}, by the grammar of the Docker
 * distribution reference. The tag defaults to {@code latest}; digests ({@code @sha256:...}) are
 * refused because the build creates the image and so cannot know its digest in advance.
 *
 * @param registry   host and optional port, or null when the name has none
 * @param repository the path, e.g. {@code library/hello}
 */
public record ImageReference(String registry, String repository, String tag) {
    static final String ELEMENT = "docker/name";

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HOST_COMPONENT = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
    private static final Pattern PORT = Pattern.compile("[0-9]+");
    private static final int MAX_NAME_LENGTH = 255;

    /** Parses and validates {@code <docker><name>}; errors name the element and the fix. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("is empty; give a name such as my-app:1.0 or registry.example.com/team/my-app:1.0");
        }
        String name = text.trim();
        if (name.contains("@")) {
            throw invalid("'" + name + "' contains a digest (@...); give a name with an optional :tag instead");
        }
        String tag = "latest";
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid("tag '" + tag + "' is not valid: use up to 128 letters, digits, '_', '.' and '-',"
                        + " not starting with '.' or '-'");
            }
        }
        String registry = null;
        String repository = name;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                repository = name.substring(slash + 1);
                checkRegistry(registry);
            }
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw invalid("'" + name + "' is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (repository.isEmpty()) {
            throw invalid("'" + text.trim() + "' has no repository name after the registry");
        }
        for (String component : repository.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw invalid(componentProblem(component, repository));
            }
        }
        return new ImageReference(registry, repository, tag);
    }

    /** {@code [registry/]repository:tag}, the form docker and podman print. */
    @Override
    public String toString() {
        return (registry == null ? "" : registry + "/") + repository + ":" + tag;
    }

    private static void checkRegistry(String registry) {
        String host = registry;
        int colon = registry.indexOf(':');
        if (colon >= 0) {
            host = registry.substring(0, colon);
            String port = registry.substring(colon + 1);
            if (!PORT.matcher(port).matches()) {
                throw invalid("registry port '" + port + "' in '" + registry + "' is not a number");
            }
        }
        for (String component : host.split("\\.", -1)) {
            if (!HOST_COMPONENT.matcher(component).matches()) {
                throw invalid("registry '" + registry + "' is not a valid host name");
            }
        }
    }

    private static String componentProblem(String component, String repository) {
        if (component.isEmpty()) {
            return "'" + repository + "' has an empty path component (leading, trailing or double '/')";
        }
        String lower = component.toLowerCase(Locale.ROOT);
        if (!lower.equals(component) && PATH_COMPONENT.matcher(lower).matches()) {
            return "'" + component + "' must be lower-case: use '" + lower + "'";
        }
        return "'" + component + "' in '" + repository + "' is not a valid name component: use lower-case"
                + " letters and digits, separated by '.', '_', '__' or dashes";
    }

    private static InvalidConfigurationException invalid(String message) {
        return new InvalidConfigurationException(ELEMENT, message);
    }
}
