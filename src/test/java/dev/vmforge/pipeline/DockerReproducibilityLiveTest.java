package dev.vmforge.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two builds from a clean target and an empty shared cache give byte-identical Docker archives. */
@EnabledIfSystemProperty(named = "vm.test.live", matches = "true")
class DockerReproducibilityLiveTest {

    @Test
    void twoCleanBuildsGiveTheSameBytes(@TempDir Path first, @TempDir Path second) throws Exception {
        String a = sha256(build(first));
        String b = sha256(build(second));
        assertEquals(a, b, "the two archives differ");
    }

    private static Path build(Path dir) throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path cache = dir.resolve("empty-cache");
        assertTrue(!Files.exists(cache));
        BuildContext context = HelloSystem.context(project, cache);
        try (Engine engine = new Engine(context)) {
            return engine.buildDockerImage(HelloSystem.operatingSystem(project), HelloSystem.reader(project).readDocker(null));
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
