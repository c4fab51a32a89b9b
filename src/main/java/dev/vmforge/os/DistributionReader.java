package dev.vmforge.os;

import dev.vmforge.os.pom.DistributionConfig;
import dev.vmforge.os.pom.SourceConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code <distribution>}: the package sources (or the host's), components, architecture and keyring. */
final class DistributionReader {
    private static final String ELEMENT = "operatingSystem/distribution";
    /** Debian's release architectures; the default kernel and QEMU target assume amd64. */
    private static final List<String> ARCHITECTURES = List.of("amd64", "arm64", "armel", "armhf", "i386",
            "mips64el", "mipsel", "ppc64el", "riscv64", "s390x");
    private static final Pattern SUITE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9._-]+)*");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9][a-z0-9-]*(?:/[a-z0-9-]+)*");

    private final Path baseDirectory;

    DistributionReader(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    Distribution read(DistributionConfig config) {
        DistributionConfig c = config == null ? new DistributionConfig() : config;
        List<Distribution.Source> sources = sources(c);
        List<String> components = new ArrayList<>();
        List<String> givenComponents = c.components == null ? List.of() : c.components;
        for (int i = 0; i < givenComponents.size(); i++) {
            String element = Values.item(ELEMENT + "/components/component", i);
            String component = Values.required(element, givenComponents.get(i), "write a component such as main");
            Values.check(element, component, COMPONENT.matcher(component).matches(),
                    "is not an archive component; use names such as main, contrib, non-free-firmware");
            if (!components.contains(component)) {
                components.add(component);
            }
        }
        if (components.isEmpty()) {
            components.add("main");
        }
        String architecture = Values.oneOf(ELEMENT + "/architecture", c.architecture, "amd64", ARCHITECTURES);
        Optional<Path> keyring = Optional.ofNullable(Values.given(c.keyring))
                .map(file -> Values.projectPath(ELEMENT + "/keyring", baseDirectory, file, Values.Kind.FILE));
        return new Distribution(sources, components, architecture, keyring);
    }

    /** Either {@code <mirror>} + {@code <suite>}, or {@code <sources>}; neither means the host's apt sources. */
    private List<Distribution.Source> sources(DistributionConfig c) {
        List<SourceConfig> listed = c.sources == null ? List.of() : c.sources;
        boolean single = Values.given(c.mirror) != null || Values.given(c.suite) != null;
        if (single && !listed.isEmpty()) {
            throw new InvalidConfigurationException(ELEMENT + "/sources", "is given together with <mirror>/<suite>;"
                    + " use either <mirror> and <suite> for one source, or <sources> for several, not both");
        }
        Set<Distribution.Source> sources = new LinkedHashSet<>();
        if (single) {
            sources.add(source(ELEMENT, c.mirror, c.suite));
        }
        for (int i = 0; i < listed.size(); i++) {
            SourceConfig source = listed.get(i);
            String element = Values.item(ELEMENT + "/sources/source", i);
            sources.add(source == null ? source(element, null, null) : source(element, source.mirror, source.suite));
        }
        return List.copyOf(sources);
    }

    private static Distribution.Source source(String element, String mirrorText, String suiteText) {
        String mirror = Values.required(element + "/mirror", mirrorText,
                "a <suite> needs the <mirror> it comes from, e.g. http://deb.debian.org/debian");
        String suite = Values.required(element + "/suite", suiteText,
                "a <mirror> needs the <suite> to take from it, e.g. bookworm");
        Values.check(element + "/suite", suite, SUITE.matcher(suite).matches() && !suite.contains(".."),
                "is not a suite name; write a codename or suite such as bookworm, bookworm-updates or stable");
        return new Distribution.Source(mirror(element + "/mirror", mirror), suite);
    }

    /** An http, https or file URL, without trailing slashes (paths such as dists/SUITE are appended to it). */
    private static URI mirror(String element, String text) {
        String fix = "write an http://, https:// or file:// URL such as http://deb.debian.org/debian";
        URI uri;
        try {
            uri = new URI(text.replaceAll("/+$", ""));
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(element, "'" + text + "' is not a URL; " + fix);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        boolean valid = switch (scheme) {
            case "http", "https" -> uri.getHost() != null;
            case "file" -> uri.getPath() != null && uri.getPath().startsWith("/");
            default -> false;
        };
        if (!valid) {
            throw new InvalidConfigurationException(element, "'" + text + "' is not a usable mirror; " + fix);
        }
        return uri;
    }
}
