package dev.vmforge.mojo;

import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.os.StartSpec;
import dev.vmforge.pipeline.Engine;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

import java.util.Optional;

/**
 * Powers off the VM that vm:start started in this build: the ACPI power button through QEMU's QMP, then, after
 * {@code <start><stopTimeout>} seconds, QEMU is ended. With a {@code <start><id>} only that VM, else every VM of the
 * project. The console log stays in {@code target/vm/console-ID.log}.
 */
@Mojo(name = "stop", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public class StopMojo extends AbstractTestVmMojo {
    @Override
    protected void run(Engine engine, ConfigurationReader reader) {
        if (testsSkipped()) {
            return;
        }
        StartSpec startSpec = reader.readStart(startConfig(), reader.readVm(vmConfig()));
        boolean idGiven = startConfig().id != null && !startConfig().id.isBlank();
        engine.stopVms(idGiven ? Optional.of(startSpec.id()) : Optional.empty(), startSpec.stopTimeout());
    }
}
