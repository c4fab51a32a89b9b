package dev.vmforge.registry;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where content lives in a registry: {@code [registry[:port]/]repository[:tag|@digest]}, read as Docker reads
 * it: a first component with a dot, a port or {@code localhost} names the registry, otherwise the name is on
 * Docker Hub ({@code docker.io}), where a one-component repository is in {@code library/}.
 *
 * @param registry   host and optional port as written, e.g. {@code registry.example.com:5000}; {@code docker.io}
 *                   for Docker Hub
 * @param repository the path, e.g. {@code team/app}
 * @param reference  a tag or a digest ({@code sha256:...})
 */
public record RegistryReference(String registry, String repository, String reference) {
    public static final String DOCKER_HUB = "docker.io";
    /** The host that serves Docker Hub's API (docker.io itself only redirects browsers). */
    static final String DOCKER_HUB_API = "registry-1.docker.io";
    /** The key under which docker login stores Docker Hub's credentials. */
    static final String DOCKER_HUB_INDEX = "https://index.docker.io/v1/";
    private static final List<String> DOCKER_HUB_ALIASES = List.of(DOCKER_HUB, "index.docker.io", DOCKER_HUB_API);

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?"
                    + "|\\[[0-9A-Fa-f:.]+\\](?::[0-9]{1,5})?");

    public RegistryReference {
        registry = canonicalRegistry(registry);
        if (!REGISTRY.matcher(registry).matches()) {
            throw new IllegalArgumentException("'" + registry + "' is not a registry host[:port]");
        }
        for (String component : repository.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("'" + repository + "' is not a repository name: its components are"
                        + " lower-case letters and digits separated by '.', '_', '__' or '-'");
            }
        }
        if (!TAG.matcher(reference).matches() && !Digest.isDigest(reference)) {
            throw new IllegalArgumentException("'" + reference + "' is neither a tag nor a digest");
        }
    }

    /**
     * Parses a name as {@code docker pull} does; the reference defaults to {@code latest}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static RegistryReference parse(String text) {
        String name = text.strip();
        String reference = "latest";
        int at = name.indexOf('@');
        if (at >= 0) {
            reference = name.substring(at + 1);
            name = name.substring(0, at);
        } else {
            int colon = name.lastIndexOf(':');
            if (colon > name.lastIndexOf('/')) {
                reference = name.substring(colon + 1);
                name = name.substring(0, colon);
            }
        }
        String registry = DOCKER_HUB;
        String repository = name;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                registry = first;
                repository = name.substring(slash + 1);
            }
        }
        if (isDockerHub(registry) && !repository.contains("/")) {
            repository = "library/" + repository;
        }
        return new RegistryReference(registry, repository, reference);
    }

    /** The same repository with another tag or digest. */
    public RegistryReference withReference(String tagOrDigest) {
        return new RegistryReference(registry, repository, tagOrDigest);
    }

    /** Another repository on the same registry. */
    public RegistryReference inRepository(String otherRepository) {
        return new RegistryReference(registry, otherRepository, reference);
    }

    public boolean isDigest() {
        return Digest.isDigest(reference);
    }

    /** The host (and port) that serves the registry's HTTP API. */
    public String apiHost() {
        return apiHost(registry);
    }

    static String apiHost(String registry) {
        return isDockerHub(registry) ? DOCKER_HUB_API : registry;
    }

    static boolean isDockerHub(String registry) {
        return DOCKER_HUB_ALIASES.contains(registry.toLowerCase(Locale.ROOT));
    }

    /**
     * The names a user may have filed credentials for this registry under: {@code host:port} as written, and for
     * Docker Hub each of its host names. Maven's settings.xml {@code <server><id>} is matched against these.
     */
    public static List<String> credentialKeys(String registry) {
        return isDockerHub(registry) ? DOCKER_HUB_ALIASES : List.of(canonicalRegistry(registry));
    }

    /** Host names are case-insensitive; Docker Hub has one name. */
    private static String canonicalRegistry(String registry) {
        String lower = registry.toLowerCase(Locale.ROOT);
        return isDockerHub(lower) ? DOCKER_HUB : lower;
    }

    /** {@code registry/repository:tag} or {@code registry/repository@digest}, as {@code docker pull} takes it. */
    @Override
    public String toString() {
        return registry + "/" + repository + (isDigest() ? "@" : ":") + reference;
    }
}
