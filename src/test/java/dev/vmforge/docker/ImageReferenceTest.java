package dev.vmforge.docker;

import dev.vmforge.os.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageReferenceTest {

    @Test
    void nameWithoutTagGetsLatest() {
        ImageReference r = ImageReference.parse("hello");
        assertNull(r.registry());
        assertEquals("hello", r.repository());
        assertEquals("latest", r.tag());
        assertEquals("hello:latest", r.toString());
    }

    @Test
    void registryWithPortIsNotMistakenForTag() {
        ImageReference r = ImageReference.parse("localhost:5000/team/my-app:1.0-SNAPSHOT");
        assertEquals("localhost:5000", r.registry());
        assertEquals("team/my-app", r.repository());
        assertEquals("1.0-SNAPSHOT", r.tag());
        assertEquals("registry.example.com", ImageReference.parse("registry.example.com/x").registry());
        assertEquals("latest", ImageReference.parse("localhost:5000/x").tag());
        assertNull(ImageReference.parse("team/app").registry(), "a first component without '.' or ':' is a path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a__b", "a.b", "a---b", "a_b/c-d/e.f", "x:" + "t"})
    void acceptsDockerGrammar(String name) {
        assertEquals(name.contains(":") ? name : name + ":latest", ImageReference.parse(name).toString());
    }

    @Test
    void upperCaseIsRefusedWithTheLowerCaseFix() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ImageReference.parse("My-App:1.0"));
        assertEquals("docker/name", e.element());
        assertTrue(e.getMessage().contains("use 'my-app'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-app", "app-", "a___b", "a..b", "app:-tag", "app:.tag", "app:t/x",
        "app@sha256:0123", "reg.example.com/", "a//b", "/app", "bad_host.example.com/app", "host:port/app",
        "app:"})
    void refusesInvalidNames(String name) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ImageReference.parse(name));
        assertTrue(e.getMessage().startsWith("<docker/name>: "), e.getMessage());
    }

    @Test
    void refusesOverlongTag() {
        assertEquals(128, ImageReference.parse("a:" + "t".repeat(128)).tag().length());
        assertThrows(InvalidConfigurationException.class, () -> ImageReference.parse("a:" + "t".repeat(129)));
    }
}
