package dev.vmforge.docker;

import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.InvalidConfigurationException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the image config says about running the container, and when the image was made.
 *
 * @param created      the image's and every layer entry's time (whole seconds)
 * @param entrypoint   the command; empty means none (then {@code cmd} must name one)
 * @param environment  variables, kept in name order; {@code PATH} is always present
 * @param exposedPorts keys such as {@code 8080/tcp}, kept in string order as Docker's encoder sorts map keys
 * @param user         user name or {@code uid[:gid]}, or null for root
 * @param workingDir   absolute directory, or null for {@code /}
 */
public record ContainerConfig(Instant created, List<String> entrypoint, List<String> cmd,
                              Map<String, String> environment, Set<String> exposedPorts,
                              Map<String, String> labels, String user, String workingDir) {

    /** Docker's default search path, used unless the environment sets PATH. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** One second after the epoch, as Jib uses: some tools treat 0 as "no time". */
    public static final Instant DEFAULT_CREATED = Instant.ofEpochSecond(1);

    public ContainerConfig {
        created = created.truncatedTo(ChronoUnit.SECONDS);
        if (created.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("image time before 1970: " + created);
        }
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        TreeMap<String, String> env = new TreeMap<>(environment);
        env.putIfAbsent("PATH", DEFAULT_PATH);
        environment = Collections.unmodifiableSortedMap(env);
        exposedPorts = Collections.unmodifiableSortedSet(new TreeSet<>(exposedPorts));
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    /**
     * The config for a {@code <docker>} block: its entrypoint or else {@code defaultEntrypoint} (the system's
     * init in container mode), its ports validated and normalized, its environment over the default PATH.
     */
    public static ContainerConfig of(DockerSpec spec, Instant created, List<String> defaultEntrypoint) {
        TreeSet<String> ports = new TreeSet<>();
        for (String port : spec.ports()) {
            ports.add(ExposedPort.parse(port).toString());
        }
        for (String name : spec.environment().keySet()) {
            if (name.isEmpty() || name.contains("=") || name.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidConfigurationException("docker/environment", "'" + name
                        + "' is not a variable name: it must be non-empty, without '=' or spaces");
            }
        }
        List<String> entrypoint = spec.entrypoint().isEmpty() ? defaultEntrypoint : spec.entrypoint();
        return new ContainerConfig(created, entrypoint, List.of(), spec.environment(), ports, spec.labels(),
                null, null);
    }

    /**
     * The image time from {@code project.build.outputTimestamp}: ISO-8601 with offset or seconds since the
     * epoch; unset (or a single character, Maven's "disabled") gives {@link #DEFAULT_CREATED}.
     */
    public static Instant parseTimestamp(String outputTimestamp) {
        if (outputTimestamp == null || outputTimestamp.trim().length() < 2) {
            return DEFAULT_CREATED;
        }
        String value = outputTimestamp.trim();
        try {
            Instant instant = value.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochSecond(Long.parseLong(value))
                    : OffsetDateTime.parse(value).toInstant();
            if (instant.isBefore(Instant.EPOCH)) {
                throw new InvalidConfigurationException("project.build.outputTimestamp",
                        "'" + value + "' is before 1970; tar cannot record it");
            }
            return instant.truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new InvalidConfigurationException("project.build.outputTimestamp", "'" + value
                    + "' is neither ISO-8601 with an offset (2024-01-01T00:00:00Z) nor seconds since 1970");
        }
    }

    /** {@code created} as ISO-8601 UTC, e.g. {@code 1970-01-01T00:00:01Z}. */
    public String createdText() {
        return DateTimeFormatter.ISO_INSTANT.format(created);
    }

    /** Environment as the config's {@code NAME=value} list. */
    List<String> environmentList() {
        return environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

}
