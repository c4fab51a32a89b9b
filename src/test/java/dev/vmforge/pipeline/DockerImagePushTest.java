package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.os.DockerPushSpec;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.registry.CredentialSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DockerImagePushTest {
    @TempDir
    Path project;

    @Test
    void offlineModeRefusesToPushBeforeBuildingAnything() {
        BuildContext offline = new BuildContext(project, project.resolve("target"), "hello-1.0",
                project.resolve("cache"), true, 1, Optional.empty(), Duration.ofMinutes(1), Duration.ofMinutes(5), "auto", false, Optional.empty(),
                BuildLog.silent());
        DockerSpec docker = new DockerSpec("registry.example.com:5000/team/hello:1.0", DockerSpec.Format.DOCKER,
                List.of(), List.of(), Map.of(), Map.of());
        BuildException e = assertThrows(BuildException.class, () -> {
            try (Engine engine = new Engine(offline)) {
                engine.pushDockerImage(HelloSystem.operatingSystem(project), docker, new DockerPushSpec(List.of(), false),
                        CredentialSource.none());
            }
        });
        assertEquals("vm:push-docker-image pushes to registry registry.example.com:5000, which needs the network: run it"
                + " without -o (Maven's offline mode)", e.getMessage());
        assertFalse(Files.exists(project.resolve("target")), "nothing was built");
    }

    @Test
    void aNameWithoutRegistryIsOnDockerHub() {
        DockerSpec docker = new DockerSpec("hello:1.0", DockerSpec.Format.DOCKER, List.of(), List.of(), Map.of(),
                Map.of());
        assertEquals("docker.io/library/hello:1.0", DockerImagePush.target(docker).toString());
    }
}
