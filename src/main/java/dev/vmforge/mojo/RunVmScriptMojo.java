package dev.vmforge.mojo;

import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.pipeline.Engine;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;


/**
 * Writes {@code target/vm/run-vm.sh}, a script that boots the declared system in QEMU with the
 * configured shared folders and forwarded ports.
 */
@Mojo(name = "run-vm-script", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class RunVmScriptMojo extends AbstractVmMojo {
    @Override
    protected void run(Engine engine, ConfigurationReader reader) {
        engine.writeRunScript(reader.readOperatingSystem(operatingSystem), reader.readVm(vmConfig()),
                reader.readImage(imageConfig()));
    }
}
