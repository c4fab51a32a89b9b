package dev.vmforge.mojo;

import dev.vmforge.launch.RunningVm;
import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.os.StartSpec;
import dev.vmforge.os.VmSpec;
import dev.vmforge.pipeline.Engine;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.ArrayList;
import java.util.List;

/**
 * Boots the declared system in QEMU in the background and returns once it is ready ({@code <start><waitFor>}), for
 * the integration tests that follow. The disk image (or with {@code <boot>direct</boot>} the kernel, initrd and disk)
 * is built first when out of date, and booted on a throw-away overlay. Publishes the forwarded ports as project
 * properties: {@code vm.port.GUEST} and {@code vm.host} ({@code vm.ID.port.GUEST} and {@code vm.ID.host} for an
 * execution with a {@code <start><id>}). {@code vm:stop} powers it off; the VM ends with Maven in any case.
 */
@Mojo(name = "start", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class StartMojo extends AbstractTestVmMojo {
    @Override
    protected void run(Engine engine, ConfigurationReader reader) {
        if (testsSkipped()) {
            return;
        }
        VmSpec vmSpec = reader.readVm(vmConfig());
        StartSpec startSpec = reader.readStart(startConfig(), vmSpec);
        RunningVm running = engine.startVm(reader.readOperatingSystem(operatingSystem), vmSpec,
                reader.readImage(imageConfig()), startSpec, buildId());
        publish(startSpec, running);
    }

    /** The properties later plugins read, e.g. failsafe's {@code <systemPropertyVariables>}. */
    private void publish(StartSpec startSpec, RunningVm running) {
        String prefix = startSpec.isDefaultId() ? "vm." : "vm." + startSpec.id() + ".";
        List<String> set = new ArrayList<>();
        String host = running.ports().isEmpty() ? VmSpec.PortForward.LOOPBACK
                : running.ports().get(0).clientAddress();
        project.getProperties().setProperty(prefix + "host", host);
        set.add(prefix + "host=" + host);
        for (VmSpec.PortForward port : running.ports()) {
            String name = prefix + "port." + port.guestPort();
            project.getProperties().setProperty(name, Integer.toString(port.hostPort()));
            set.add(name + "=" + port.hostPort());
        }
        getLog().info("VM '" + running.id() + "': set " + String.join(", ", set));
    }

    /** This Maven session: a VM started earlier in it is not an earlier build's leftover. */
    private String buildId() {
        return session.getRequest().getStartTime().getTime() + "/" + System.identityHashCode(session);
    }
}
