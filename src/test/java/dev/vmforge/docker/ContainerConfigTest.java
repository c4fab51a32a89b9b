package dev.vmforge.docker;

import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerConfigTest {

    private static DockerSpec spec(List<String> entrypoint, List<String> ports, Map<String, String> env) {
        return new DockerSpec("app", DockerSpec.Format.DOCKER, entrypoint, ports, env, Map.of());
    }

    @Test
    void emptyEntrypointFallsBackToTheSystemDefault() {
        ContainerConfig c = ContainerConfig.of(spec(List.of(), List.of(), Map.of()), Instant.EPOCH, List.of("/init"));
        assertEquals(List.of("/init"), c.entrypoint());
        ContainerConfig own = ContainerConfig.of(spec(List.of("/bin/sh"), List.of(), Map.of()), Instant.EPOCH,
                List.of("/init"));
        assertEquals(List.of("/bin/sh"), own.entrypoint());
    }

    @Test
    void environmentIsSortedWithDefaultPathUnlessOverridden() {
        ContainerConfig c = ContainerConfig.of(spec(List.of(), List.of(), Map.of("Z", "1", "A", "2")),
                Instant.EPOCH, List.of());
        assertEquals(List.of("A=2", "PATH=" + ContainerConfig.DEFAULT_PATH, "Z=1"), c.environmentList());
        ContainerConfig own = ContainerConfig.of(spec(List.of(), List.of(), Map.of("PATH", "/bin")),
                Instant.EPOCH, List.of());
        assertEquals(List.of("PATH=/bin"), own.environmentList());
    }

    @Test
    void portsAreNormalizedAndDeduplicated() {
        ContainerConfig c = ContainerConfig.of(spec(List.of(), List.of("8080", "8080/tcp", "53/udp"), Map.of()),
                Instant.EPOCH, List.of());
        assertEquals(List.of("53/udp", "8080/tcp"), List.copyOf(c.exposedPorts()));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ContainerConfig.of(spec(List.of(), List.of("80/icmp"), Map.of()), Instant.EPOCH, List.of()));
        assertEquals("docker/ports", e.element());
    }

    @Test
    void badEnvironmentNameIsRefused() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ContainerConfig.of(spec(List.of(), List.of(), Map.of("A=B", "x")), Instant.EPOCH, List.of()));
        assertEquals("docker/environment", e.element());
    }

    @Test
    void timestampFromOutputTimestamp() {
        assertEquals(Instant.ofEpochSecond(1), ContainerConfig.parseTimestamp(null));
        assertEquals(Instant.ofEpochSecond(1), ContainerConfig.parseTimestamp("-"));
        assertEquals(Instant.parse("2026-11-23T00:00:00Z"), ContainerConfig.parseTimestamp("2026-11-23T00:00:00Z"));
        assertEquals(Instant.parse("2026-11-22T23:00:00Z"), ContainerConfig.parseTimestamp("2026-11-23T00:00:00+01:00"));
        assertEquals(Instant.ofEpochSecond(1700000000), ContainerConfig.parseTimestamp("1700000000"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ContainerConfig.parseTimestamp("yesterday"));
        assertEquals("project.build.outputTimestamp", e.element());
        assertTrue(e.getMessage().contains("yesterday"));
    }

    @Test
    void createdIsWholeSecondsInIsoUtc() {
        ContainerConfig c = new ContainerConfig(Instant.parse("2024-01-02T03:04:05.678Z"), List.of(), List.of(),
                Map.of(), java.util.Set.of(), Map.of(), null, null);
        assertEquals("2024-01-02T03:04:05Z", c.createdText());
        assertEquals("1970-01-01T00:00:01Z", new ContainerConfig(ContainerConfig.DEFAULT_CREATED, List.of(),
                List.of(), Map.of(), java.util.Set.of(), Map.of(), null, null).createdText());
    }
}
