package dev.vmforge.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryReferenceTest {
    @Test
    void namesWithoutARegistryAreOnDockerHubAsDockerReadsThem() {
        assertEquals(new RegistryReference("docker.io", "library/busybox", "latest"), RegistryReference.parse("busybox"));
        assertEquals(new RegistryReference("docker.io", "team/app", "1.0"), RegistryReference.parse("team/app:1.0"));
        assertEquals(new RegistryReference("docker.io", "library/app", "2"),
                RegistryReference.parse("index.docker.io/app:2"));
        assertEquals("registry-1.docker.io", RegistryReference.parse("app").apiHost());
    }

    @Test
    void aFirstComponentWithADotAPortOrLocalhostIsTheRegistry() {
        RegistryReference r = RegistryReference.parse("Registry.Example.com:5000/team/app:1.0");
        assertEquals("registry.example.com:5000", r.registry());
        assertEquals("team/app", r.repository());
        assertEquals("1.0", r.reference());
        assertEquals("registry.example.com:5000", r.apiHost());
        assertEquals("localhost", RegistryReference.parse("localhost/app").registry());
        assertEquals("localhost:18440/it/app:latest", RegistryReference.parse("localhost:18440/it/app").toString());
    }

    @Test
    void digestsAreReferencesToo() {
        String digest = "sha256:" + "a".repeat(64);
        RegistryReference r = RegistryReference.parse("example.com/app@" + digest);
        assertTrue(r.isDigest());
        assertEquals("example.com/app@" + digest, r.toString());
        assertEquals("example.com/other:2", r.inRepository("other").withReference("2").toString());
    }

    @Test
    void invalidNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RegistryReference.parse("example.com/Team/app"));
        assertThrows(IllegalArgumentException.class, () -> RegistryReference.parse("example.com/app:-bad"));
        assertThrows(IllegalArgumentException.class, () -> RegistryReference.parse("example.com/app@sha256:123"));
        assertThrows(IllegalArgumentException.class, () -> RegistryReference.parse("exa_mple.com:80/app"));
    }

    @Test
    void credentialKeysAreTheRegistryOrEveryDockerHubName() {
        assertEquals(List.of("registry.example.com:5000"), RegistryReference.credentialKeys("registry.example.com:5000"));
        assertEquals(List.of("docker.io", "index.docker.io", "registry-1.docker.io"),
                RegistryReference.credentialKeys("docker.io"));
    }
}
