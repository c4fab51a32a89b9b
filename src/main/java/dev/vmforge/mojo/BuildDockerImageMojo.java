package dev.vmforge.mojo;

import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.pipeline.Engine;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;

import java.nio.file.Path;

/**
 * Builds a Docker image tarball ({@code target/FINALNAME-docker.tar}: gzip-compressed layers in a plain tar, which every loader reads) of the declared system without a
 * Docker daemon, byte-for-byte reproducible, and attaches it with classifier {@code docker}.
 * Load it with {@code docker load -i} or {@code podman load -i}.
 */
@Mojo(name = "build-docker-image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class BuildDockerImageMojo extends AbstractVmMojo {
    @Component
    private MavenProjectHelper projectHelper;

    @Override
    protected void run(Engine engine, ConfigurationReader reader) {
        Path archive = engine.buildDockerImage(reader.readOperatingSystem(operatingSystem), reader.readDocker(dockerConfig()));
        projectHelper.attachArtifact(project, "tar", "docker", archive.toFile());
    }
}
