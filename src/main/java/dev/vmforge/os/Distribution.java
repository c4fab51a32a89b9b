package dev.vmforge.os;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where packages come from. No sources means "the host's apt configuration".
 *
 * @param keyring an OpenPGP keyring file overriding the bundled Debian archive keys
 */
public record Distribution(List<Source> sources, List<String> components, String architecture,
                           Optional<Path> keyring) {

    public Distribution {
        sources = List.copyOf(sources);
        components = List.copyOf(components);
    }

    public boolean usesHostSources() {
        return sources.isEmpty();
    }

    /** One {@code deb MIRROR SUITE} line. */
    public record Source(URI mirror, String suite) {
    }
}
