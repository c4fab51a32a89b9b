package dev.vmforge.mojo;

import dev.vmforge.BuildException;
import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.pipeline.Engine;
import dev.vmforge.substitute.RegistrySubstitutes;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.util.List;

/**
 * Guix's {@code guix challenge}: builds every substitutable output of the system here (in
 * {@code target/vm/challenge}, never from substitutes) and compares each with the signed one in
 * {@code <substitutes><registry>}. Fails listing every mismatch.
 */
@Mojo(name = "challenge", threadSafe = true, requiresDependencyResolution = ResolutionScope.RUNTIME)
public class ChallengeMojo extends AbstractVmMojo {
    @Override
    protected void run(Engine engine, ConfigurationReader reader) {
        RegistrySubstitutes registry = registrySubstitutes(new MavenBuildLog(getLog())).orElseThrow(() ->
                new BuildException("vm:challenge compares local builds with the substitutes of"
                        + " <substitutes><registry>, which is not set (or -Dvm.substitutes=false, or offline -o)"));
        List<String> mismatches = engine.challenge(reader.readOperatingSystem(operatingSystem),
                reader.readImage(imageConfig()), reader.readDocker(dockerConfig()), registry::remoteFiles);
        if (!mismatches.isEmpty()) {
            throw new BuildException(mismatches.size() + " outputs differ from the substitutes in "
                    + registry.where() + ":\n  " + String.join("\n  ", mismatches));
        }
    }
}
