package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.VmSpec;

import java.nio.file.Path;

/** The derivations wired together: one public method per goal. */
public final class Engine {
    private final BuildContext context;

    public Engine(BuildContext context) {
        this.context = context;
    }

    public void resolveAndLock(OperatingSystem os) {
        throw new BuildException("vm:resolve is not yet available");
    }

    public Path buildImage(OperatingSystem os, ImageSpec image) {
        throw new BuildException("vm:build-image is not yet available");
    }

    public Path buildDockerImage(OperatingSystem os, DockerSpec docker) {
        throw new BuildException("vm:build-docker-image is not yet available");
    }

    public Path writeRunScript(OperatingSystem os, VmSpec vm) {
        throw new BuildException("vm:run-vm-script is not yet available");
    }
}
