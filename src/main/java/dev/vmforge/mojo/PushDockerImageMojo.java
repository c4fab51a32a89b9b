package dev.vmforge.mojo;

import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.os.DockerPushSpec;
import dev.vmforge.os.pom.DockerConfig;
import dev.vmforge.pipeline.Engine;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.Arrays;

/**
 * Builds the Docker image as {@code vm:build-docker-image} does when it is out of date, and pushes it to the
 * registry named in {@code <docker><name>} (e.g. {@code registry.example.com:5000/team/app:1.0}; a name without a
 * registry is on Docker Hub) and under every {@code <docker><tags><tag>}, without a Docker daemon. Credentials come
 * from the settings.xml {@code <server>} whose id is the registry's {@code host[:port]}, else from
 * {@code docker login} ({@code ~/.docker/config.json}, credential helpers included), else from {@code podman login}
 * ({@code $REGISTRY_AUTH_FILE}, {@code auth.json}). The manifest digest is written to
 * {@code target/vm/docker-digest}.
 */
@Mojo(name = "push-docker-image", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class PushDockerImageMojo extends AbstractVmMojo {
    /** Overrides {@code <docker><allowInsecureRegistries>}: plain HTTP and unverified certificates allowed. */
    @Parameter(property = "vm.docker.allowInsecureRegistries")
    private Boolean allowInsecureRegistries;

    /** Overrides {@code <docker><tags>}: more tags, separated by commas. */
    @Parameter(property = "vm.docker.tags")
    private String tags;

    @Override
    protected void run(Engine engine, ConfigurationReader reader) {
        DockerConfig docker = dockerConfig();
        if (allowInsecureRegistries != null) {
            docker.allowInsecureRegistries = allowInsecureRegistries;
        }
        if (tags != null && !tags.isBlank()) {
            docker.tags = Arrays.stream(tags.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
        }
        DockerPushSpec push = reader.readDockerPush(docker);
        engine.pushDockerImage(reader.readOperatingSystem(operatingSystem), reader.readDocker(docker), push,
                new SettingsCredentials(session.getSettings(), settingsDecrypter));
    }
}
