package dev.vmforge.os;

import dev.vmforge.os.pom.DockerConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code <docker>}: named {@code artifactId:version} (lower-cased) by default, docker-archive format. */
final class DockerReader {
    private static final List<String> PROTOCOLS = List.of("tcp", "udp", "sctp");

    private final ProjectContext project;

    DockerReader(ProjectContext project) {
        this.project = project;
    }

    DockerSpec read(DockerConfig config) {
        DockerConfig c = config == null ? new DockerConfig() : config;
        return new DockerSpec(name(c.name), Values.choice("docker/format", c.format, DockerSpec.Format.DOCKER),
                entrypoint(c.entrypoint), ports(c.ports), Values.environment("docker/environment", c.environment),
                labels(c.labels));
    }

    /** {@code <tags>} and {@code <allowInsecureRegistries>}, which only a push uses. */
    DockerPushSpec readPush(DockerConfig config) {
        DockerConfig c = config == null ? new DockerConfig() : config;
        List<String> given = c.tags == null ? List.of() : c.tags;
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String element = Values.item("docker/tags/tag", i);
            String tag = Values.required(element, given.get(i), "write a tag such as latest or 1.0");
            Values.check(element, tag, DockerReference.isTag(tag), "is not a tag: up to 128 letters,"
                    + " digits, '_', '.' and '-', not starting with '.' or '-' (a tag, not a whole name: the image is"
                    + " pushed to the repository in <docker><name>)");
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
        return new DockerPushSpec(tags, Values.flag(c.allowInsecureRegistries, false));
    }

    private String name(String text) {
        String name = Values.given(text);
        if (name != null) {
            return DockerReference.validate("docker/name", name);
        }
        String derived = (project.artifactId() + ":" + project.version()).toLowerCase(Locale.ROOT);
        try {
            return DockerReference.validate("docker/name", derived);
        } catch (InvalidConfigurationException e) {
            throw new InvalidConfigurationException("docker/name", "is not given, and the default '" + derived
                    + "' made from the artifactId and version is not a valid Docker name; set <docker><name>, e.g. app:1.0");
        }
    }

    private static List<String> entrypoint(List<String> arguments) {
        List<String> given = arguments == null ? List.of() : arguments;
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null) {
                throw new InvalidConfigurationException(Values.item("docker/entrypoint/argument", i),
                        "is empty; remove it, or leave <entrypoint> empty to run the system's init");
            }
        }
        return given;
    }

    /** {@code 8080}, {@code 8080/tcp} or {@code 53/udp}, normalized to {@code PORT/PROTOCOL}; repeats are merged. */
    private static List<String> ports(List<String> texts) {
        List<String> given = texts == null ? List.of() : texts;
        List<String> ports = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String element = Values.item("docker/ports/port", i);
            String value = Values.required(element, given.get(i), "write a port such as 8080 or 53/udp");
            int slash = value.indexOf('/');
            int port = Values.port(element, slash < 0 ? value : value.substring(0, slash));
            String protocol = slash < 0 ? "tcp" : protocol(element, value.substring(slash + 1));
            String normalized = port + "/" + protocol;
            if (!ports.contains(normalized)) {
                ports.add(normalized);
            }
        }
        return ports;
    }

    /** The part after the slash; {@code 80/} is a mistake, not a request for the default. */
    private static String protocol(String element, String text) {
        if (text.isBlank()) {
            throw new InvalidConfigurationException(element, "has no protocol after '/'; use one of "
                    + String.join(", ", PROTOCOLS) + ", or write the port alone for tcp");
        }
        return Values.oneOf(element, text, "tcp", PROTOCOLS);
    }

    private static Map<String, String> labels(Map<String, String> given) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (given != null) {
            given.forEach((key, value) -> {
                if (key == null || key.isBlank()) {
                    throw new InvalidConfigurationException("docker/labels", "has a label without a name;"
                            + " write labels as <labels><org.opencontainers.image.title>app</...></labels>");
                }
                labels.put(key, value == null ? "" : value);
            });
        }
        return labels;
    }
}
