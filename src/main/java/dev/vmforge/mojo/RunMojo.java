package dev.vmforge.mojo;

import dev.vmforge.BuildException;
import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.os.StartSpec;
import dev.vmforge.os.VmSpec;
import dev.vmforge.pipeline.Engine;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Boots the declared system in the foreground with its serial console on this terminal, after building what is out
 * of date, and forwards the POM's ports: the command to try the system ({@code mvn package vm:run} for a project
 * with an {@code <application>}). {@code Ctrl-a x} quits (as does Ctrl-C, or powering off inside); the VM never
 * outlives Maven.
 */
@Mojo(name = "run", threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class RunMojo extends AbstractVmMojo {
    @Override
    protected void run(Engine engine, ConfigurationReader reader) {
        VmSpec vmSpec = reader.readVm(vmConfig());
        StartSpec startSpec = reader.readStart(startConfig(), vmSpec);
        int status = engine.runVm(reader.readOperatingSystem(operatingSystem), vmSpec, reader.readImage(imageConfig()),
                startSpec);
        if (status != 0) {
            throw new BuildException("QEMU exited with status " + status + "; see its messages above");
        }
        getLog().info("VM '" + startSpec.id() + "': ended");
    }
}
