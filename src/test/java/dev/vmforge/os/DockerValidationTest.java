package dev.vmforge.os;

import dev.vmforge.os.pom.DockerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static dev.vmforge.os.ReaderTesting.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DockerValidationTest {
    @TempDir
    Path base;
    private final DockerConfig c = new DockerConfig();

    private DockerSpec read() {
        return read("demo", "1.0");
    }

    private DockerSpec read(String artifactId, String version) {
        return new ConfigurationReader(new ProjectContext(base, artifactId, version, "x", "pom")).readDocker(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "app:1.0", "team/app_x:v1", "localhost/app", "localhost:5000/a/b:latest",
            "registry.example.com:5000/team/my-app:1.0-SNAPSHOT", "a__b/c--d"})
    void acceptsDockerReferences(String name) {
        c.name = name;
        assertEquals(name, read().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"App:1.0", "team//app", "-app", "app.", "my app", "Example.com/App"})
    void pathComponentsAreLowerCaseAlphanumericRuns(String name) {
        c.name = name;
        assertInvalid("docker/name", "write [registry[:port]/]path[:tag]", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app:", "app:-x", "app:a+b"})
    void tagIsChecked(String name) {
        c.name = name;
        assertInvalid("docker/name", "a tag is up to 128 letters", this::read);
    }

    @Test
    void digestIsRefused() {
        c.name = "app@sha256:" + "0".repeat(64);
        assertInvalid("docker/name", "name it with a tag instead", this::read);
    }

    @Test
    void invalidRegistryIsRefused() {
        c.name = "bad_host.example:5000/app";
        assertInvalid("docker/name", "invalid registry", this::read);
    }

    @Test
    void defaultNameThatCannotBeADockerNameAsksForOne() {
        assertInvalid("docker/name", "set <docker><name>", () -> read("-demo", "1.0"));
    }

    @Test
    void formatListsTheAllowedValues() {
        c.format = "tar";
        assertInvalid("docker/format", "use one of docker, oci", this::read);
    }

    @Test
    void formatOci() {
        c.format = "OCI";
        assertEquals(DockerSpec.Format.OCI, read().format());
    }

    @Test
    void portsAreNormalizedAndMerged() {
        c.ports = List.of("8080", "8080/TCP", "53/udp", "9/sctp");
        assertEquals(List.of("8080/tcp", "53/udp", "9/sctp"), read().ports());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "http", "/tcp"})
    void portNumberIsChecked(String port) {
        c.ports = List.of("80", port);
        assertInvalid("docker/ports/port[2]", "use a number from 1 to 65535", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"80/icmp", "80/"})
    void portProtocolListsTheAllowedValues(String port) {
        c.ports = List.of(port);
        assertInvalid("docker/ports/port[1]", "use one of tcp, udp, sctp", this::read);
    }

    @Test
    void environmentNameIsChecked() {
        c.environment = Map.of("MY-VAR", "x");
        assertInvalid("docker/environment/MY-VAR", "letters, digits and '_'", this::read);
    }

    @Test
    void emptyEntrypointArgumentIsRefused() {
        c.entrypoint = Arrays.asList("/bin/sh", null);
        assertInvalid("docker/entrypoint/argument[2]", "remove it", this::read);
    }

    @Test
    void labelsAndEnvironmentAreKept() {
        c.labels = Map.of("org.opencontainers.image.title", "demo");
        c.environment = Map.of("LANG", "C.UTF-8");
        DockerSpec docker = read();
        assertEquals(Map.of("org.opencontainers.image.title", "demo"), docker.labels());
        assertEquals(Map.of("LANG", "C.UTF-8"), docker.environment());
    }

    private DockerPushSpec readPush() {
        return new ConfigurationReader(new ProjectContext(base, "demo", "1.0", "x", "pom")).readDockerPush(c);
    }

    @Test
    void pushTagsAreCheckedAndRepeatsMerged() {
        assertEquals(new DockerPushSpec(List.of(), false), readPush());
        c.tags = Arrays.asList("latest", "1.0", "latest");
        c.allowInsecureRegistries = true;
        assertEquals(new DockerPushSpec(List.of("latest", "1.0"), true), readPush());
        c.tags = Arrays.asList("latest", "team/app:2");
        assertInvalid("docker/tags/tag[2]", "a tag, not a whole name", this::readPush);
        c.tags = Arrays.asList((String) null);
        assertInvalid("docker/tags/tag[1]", "write a tag such as latest", this::readPush);
    }
}
