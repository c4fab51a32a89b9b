package dev.vmforge.debian;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * One Debian archive suite to read packages from, like one {@code deb} line of apt.
 *
 * @param mirror       archive root, e.g. {@code http://deb.debian.org/debian} (a trailing slash is added if missing)
 * @param suite        suite or codename, e.g. {@code bookworm}, {@code bookworm-security}
 * @param components   e.g. {@code [main]}
 * @param architecture e.g. {@code amd64} (its index also lists the {@code all} packages)
 * @param keyring      OpenPGP public keyring (binary or armored), or null for the bundled Debian archive keys
 */
public record PackageSource(URI mirror, String suite, List<String> components, String architecture, Path keyring) {

    public PackageSource {
        if (mirror == null || suite == null || suite.isBlank()) {
            throw new IllegalArgumentException("a package source needs a mirror and a suite");
        }
        String m = mirror.toString();
        mirror = URI.create(m.endsWith("/") ? m : m + "/");
        components = List.copyOf(components == null || components.isEmpty() ? List.of("main") : components);
        architecture = architecture == null || architecture.isBlank() ? "amd64" : architecture;
    }

    /** URI of a file below {@code dists/SUITE/}. */
    public URI distsUri(String relative) {
        return mirror.resolve("dists/" + suite + "/" + relative);
    }

    /** snapshot.debian.org serves old, expired Release files by design. */
    public boolean isSnapshotMirror() {
        return "snapshot.debian.org".equalsIgnoreCase(mirror.getHost());
    }

    @Override
    public String toString() {
        return mirror + " " + suite + " " + String.join(" ", components) + " [" + architecture + "]";
    }
}
