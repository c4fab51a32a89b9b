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
 * Builds a bootable disk image ({@code target/FINALNAME.qcow2}, {@code .img} or a hybrid
 * {@code .iso}) of the declared system, made bootable inside a QEMU builder VM, and attaches it with classifier {@code vm}.
 */
@Mojo(name = "build-image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class BuildImageMojo extends AbstractVmMojo {
    @Component
    private MavenProjectHelper projectHelper;

    @Override
    protected void run(Engine engine, ConfigurationReader reader) {
        Path imageFile = engine.buildImage(reader.readOperatingSystem(operatingSystem), reader.readImage(imageConfig()));
        String name = imageFile.getFileName().toString();
        String type = name.substring(name.lastIndexOf('.') + 1); // qcow2, img or iso
        projectHelper.attachArtifact(project, type, "vm", imageFile.toFile());
    }
}
