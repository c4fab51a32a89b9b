package dev.vmforge.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where credentials are found, in order: settings.xml, docker's config.json (helpers too), podman's auth.json. */
class CredentialChainTest {
    @TempDir
    Path home;
    private final RecordingLog log = new RecordingLog();

    private static String auth(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private CredentialChain chain(CredentialSource settings, Map<String, String> environment) {
        return CredentialChain.standard(settings, environment, home, log);
    }

    @Test
    void settingsComeFirstThenDockerThenPodman() throws IOException {
        write(home.resolve(".docker/config.json"), "{\"auths\":{\"https://reg.example.com:5000/v1/\":{\"auth\":\""
                + auth("docker-user", "d-pass") + "\"},\"https://index.docker.io/v1/\":{\"auth\":\""
                + auth("hub-user", "h-pass") + "\"}}}");
        Path podman = home.resolve("run/containers/auth.json");
        write(podman, "{\"auths\":{\"reg.example.com:5000\":{\"auth\":\"" + auth("podman-user", "p-pass") + "\"},"
                + "\"other.example.com\":{\"auth\":\"" + auth("podman-user", "p-pass") + "\"}}}");
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", home.resolve("run").toString());
        CredentialSource settings = registry -> registry.equals("settings.example.com")
                ? Optional.of(Credentials.password("maven-user", "m-pass", "settings.xml server 'settings.example.com'"))
                : Optional.empty();

        assertEquals("maven-user", chain(settings, env).lookup("settings.example.com").orElseThrow().username());
        Credentials docker = chain(settings, env).lookup("reg.example.com:5000").orElseThrow();
        assertEquals(Credentials.password("docker-user", "d-pass", "~/.docker/config.json auths"), docker);
        assertEquals("hub-user", chain(settings, env).lookup("docker.io").orElseThrow().username());
        Credentials fromPodman = chain(settings, env).lookup("other.example.com").orElseThrow();
        assertEquals("podman-user", fromPodman.username());
        assertTrue(fromPodman.origin().startsWith(podman.toString()), fromPodman.origin());
        assertEquals(Optional.empty(), chain(settings, env).lookup("unknown.example.com"));
    }

    @Test
    void registryAuthFileIsReadBeforePodmansDefault() throws IOException {
        Path file = home.resolve("custom-auth.json");
        write(file, "{\"auths\":{\"reg.example.com\":{\"auth\":\"" + auth("custom", "c") + "\"}}}");
        write(home.resolve(".config/containers/auth.json"), "{\"auths\":{\"reg.example.com\":{\"auth\":\""
                + auth("default", "d") + "\"}}}");
        assertEquals("custom", chain(CredentialSource.none(), Map.of("REGISTRY_AUTH_FILE", file.toString()))
                .lookup("reg.example.com").orElseThrow().username());
        assertEquals("default", chain(CredentialSource.none(), Map.of()).lookup("reg.example.com").orElseThrow()
                .username());
    }

    @Test
    void credentialHelpersAndStoresAreAsked() throws IOException {
        Path bin = home.resolve("bin");
        // a helper answering for one server only, as docker-credential-pass does
        Path helper = bin.resolve("docker-credential-vmforgetest");
        write(helper, "#!/bin/sh\nread server\nif [ \"$server\" = \"reg.example.com\" ]; then\n"
                + "  echo '{\"ServerURL\":\"reg.example.com\",\"Username\":\"helped\",\"Secret\":\"h-secret\"}'\n"
                + "elif [ \"$server\" = \"token.example.com\" ]; then\n"
                + "  echo '{\"ServerURL\":\"token.example.com\",\"Username\":\"<token>\",\"Secret\":\"refresh\"}'\n"
                + "else echo 'credentials not found in native keychain'; exit 1; fi\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
        write(home.resolve(".docker/config.json"), "{\"credHelpers\":{\"reg.example.com\":\"vmforgetest\","
                + "\"missing.example.com\":\"not-installed\"},\"credsStore\":\"vmforgetest\",\"auths\":{"
                + "\"files.example.com\":{\"auth\":\"" + auth("file-user", "f") + "\"}}}");
        Map<String, String> env = Map.of("PATH", bin.toString());

        Credentials helped = chain(CredentialSource.none(), env).lookup("reg.example.com").orElseThrow();
        assertEquals("helped", helped.username());
        assertEquals("h-secret", helped.secret());
        assertTrue(helped.origin().contains("docker-credential-vmforgetest"), helped.origin());
        Credentials token = chain(CredentialSource.none(), env).lookup("token.example.com").orElseThrow();
        assertTrue(token.identityToken());
        // the store has nothing for it: the file's own entry is used
        assertEquals("file-user", chain(CredentialSource.none(), env).lookup("files.example.com").orElseThrow()
                .username());
        assertEquals(Optional.empty(), chain(CredentialSource.none(), env).lookup("missing.example.com"));
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("docker-credential-not-installed, which is not"
                + " on the PATH")), log.text());
        assertFalse(log.text().contains("h-secret"));
    }

    @Test
    void credentialsNeverShowTheirSecret() {
        Credentials c = Credentials.password("alice", "s3cret", "settings.xml server 'x'");
        assertFalse(c.toString().contains("s3cret"));
        assertEquals("user 'alice' (from settings.xml server 'x')", c.describe());
    }

    @Test
    void aDamagedFileIsWarnedAboutAndSkipped() throws IOException {
        write(home.resolve(".docker/config.json"), "{not json");
        assertEquals(Optional.empty(), chain(CredentialSource.none(), Map.of()).lookup("reg.example.com"));
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("Cannot read ~/.docker/config.json")), log.text());
    }
}
