package dev.vmforge.os;

import java.util.regex.Pattern;

/**
 * Docker's image reference grammar, {@code [registry[:port]/]path[:tag]}, as {@code docker load} and
 * registries accept it. A digest ({@code @sha256:...}) cannot name an image that is being built.
 */
final class DockerReference {
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final int NAME_MAX_LENGTH = 255;
    private static final String FORM = "write [registry[:port]/]path[:tag] with lower-case path components,"
            + " e.g. registry.example.com:5000/team/app:1.0";

    private DockerReference() {
    }

    static boolean isTag(String tag) {
        return TAG.matcher(tag).matches();
    }

    static String validate(String element, String reference) {
        if (reference.contains("@")) {
            throw new InvalidConfigurationException(element, "'" + reference + "' contains a digest; an image being"
                    + " built has no digest yet, so name it with a tag instead, e.g. app:1.0");
        }
        int lastSlash = reference.lastIndexOf('/');
        int tagColon = reference.indexOf(':', lastSlash + 1);
        String name = tagColon < 0 ? reference : reference.substring(0, tagColon);
        if (tagColon >= 0 && !TAG.matcher(reference.substring(tagColon + 1)).matches()) {
            throw new InvalidConfigurationException(element, "'" + reference + "' has an invalid tag; a tag is up to"
                    + " 128 letters, digits, '_', '.' and '-', not starting with '.' or '-' (e.g. 1.0-snapshot)");
        }
        String[] parts = name.split("/", -1);
        // As Docker decides it: the first part names a registry if it looks like a host (a dot, a port, localhost).
        boolean hasRegistry = parts.length > 1
                && (parts[0].contains(".") || parts[0].contains(":") || parts[0].equals("localhost"));
        if (hasRegistry && !REGISTRY.matcher(parts[0]).matches()) {
            throw new InvalidConfigurationException(element, "'" + reference + "' has an invalid registry '" + parts[0]
                    + "'; " + FORM);
        }
        for (int i = hasRegistry ? 1 : 0; i < parts.length; i++) {
            if (!PATH_COMPONENT.matcher(parts[i]).matches()) {
                throw new InvalidConfigurationException(element, "'" + reference + "' has an invalid path component '"
                        + parts[i] + "' (lower-case letters and digits, separated by '.', '_', '__' or '-'); " + FORM);
            }
        }
        if (name.length() > NAME_MAX_LENGTH) {
            throw new InvalidConfigurationException(element, "'" + reference + "' is longer than " + NAME_MAX_LENGTH
                    + " characters before the tag; use a shorter name");
        }
        return reference;
    }
}
