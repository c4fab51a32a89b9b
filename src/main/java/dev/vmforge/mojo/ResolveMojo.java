package dev.vmforge.mojo;

import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.pipeline.Engine;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Resolves the system's package closure against the archive, prints it and writes
 * {@code vm-packages.lock} beside the POM. Commit that file: while it exists every goal installs
 * exactly those packages.
 */
@Mojo(name = "resolve", requiresProject = true, threadSafe = true)
public class ResolveMojo extends AbstractVmMojo {
    @Override
    protected void run(Engine engine, ConfigurationReader reader) {
        engine.resolveAndLock(reader.readOperatingSystem(operatingSystem));
    }
}
