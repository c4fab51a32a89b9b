package dev.vmforge.mojo;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.os.ProjectContext;
import dev.vmforge.os.pom.DockerConfig;
import dev.vmforge.os.pom.ImageConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.os.pom.StartConfig;
import dev.vmforge.os.pom.SubstitutesConfig;
import dev.vmforge.store.Substitutes;
import dev.vmforge.substitute.RegistrySubstitutes;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import dev.vmforge.os.pom.VmConfig;
import dev.vmforge.pipeline.BuildContext;
import dev.vmforge.pipeline.Engine;
import dev.vmforge.vm.BuilderVm;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What every goal shares: the POM contract's configuration blocks, the cache, offline mode and
 * the translation of engine failures into Maven's. Subclasses only call the engine.
 */
abstract class AbstractVmMojo extends AbstractMojo {

    /** The system: distribution, packages, kernel, users, files, application, services. */
    @Parameter
    protected OperatingSystemConfig operatingSystem;

    /** The disk image: format, size, partition table, firmware, file system. */
    @Parameter
    protected ImageConfig image;

    /** The Docker image: name, entrypoint, ports, environment, labels. */
    @Parameter
    protected DockerConfig docker;

    /** How the VM runs: memory, CPUs, forwarded ports, shared folders, accelerator. */
    @Parameter
    protected VmConfig vm;

    /** vm:start, vm:stop and vm:run: the VM's id, what boots, when it is ready, how long it gets to power off. */
    @Parameter
    protected StartConfig start;

    /** Skips the goal. */
    @Parameter(property = "vm.skip", defaultValue = "false")
    protected boolean skip;

    /**
     * Cache shared by all projects (downloaded packages, indices, outputs that depend on no project file).
     * Default: {@code $XDG_CACHE_HOME/vm-maven-plugin}, else {@code ~/.cache/vm-maven-plugin}.
     */
    @Parameter(property = "vm.cacheDirectory")
    protected File cacheDirectory;

    /** The {@code qemu-system-x86_64} binary, or the directory holding it and {@code qemu-img}. Default: PATH. */
    @Parameter(property = "vm.qemu")
    protected File qemu;

    /** Time limit of each builder VM run, in seconds. */
    @Parameter(property = "vm.timeout", defaultValue = "900")
    protected int timeout;

    /**
     * Seconds a builder VM may print nothing before it is taken as hung and stopped (with its log), well before
     * {@code vm.timeout}; raise it for steps that are silent and slow on your machine.
     */
    @Parameter(property = "vm.hangTimeout", defaultValue = "300")
    protected int hangTimeout;

    /**
     * Kernel arguments appended to every builder VM's command line, blank-separated: diagnostics, which change how
     * builder steps run, never what they make (so they are not part of any cache key). E.g.
     * {@code sysctl.kernel.randomize_va_space=2} turns back on the address randomization the builder turns off.
     */
    @Parameter(property = "vm.builderKernelArguments")
    protected String builderKernelArguments;

    /** Overrides the accelerator of the vm block: auto | kvm | hvf | whpx | tcg. */
    @Parameter(property = "vm.accelerator")
    protected String accelerator;

    /**
     * Checks every store entry a goal uses against the SHA-256 in its manifest, not only those read to build
     * another output (sizes are always checked). For a cache you do not fully trust.
     */
    @Parameter(property = "vm.verify", defaultValue = "false")
    protected boolean verify;

    /** Overrides the name of the docker block: {@code [registry[:port]/]repository[:tag]}. */
    @Parameter(property = "vm.docker.name")
    protected String dockerName;

    /** Overrides the format of the image block: qcow2 | raw | iso. */
    @Parameter(property = "vm.image.format")
    protected String imageFormat;

    /** Overrides the boot of the start block (vm:start, vm:run): image | direct. */
    @Parameter(property = "vm.start.boot")
    protected String startBoot;

    /**
     * Outputs built elsewhere, fetched by key from an OCI repository when signed by a trusted key, and (with
     * {@code publish}) this build's outputs pushed there: {@code registry}, {@code publish}, {@code trustedKeys},
     * {@code signingKey}, {@code allowInsecureRegistry}.
     */
    @Parameter
    protected SubstitutesConfig substitutes;

    /** {@code false} turns substitutes off (nothing is fetched or published). Maven's offline mode does too. */
    @Parameter(property = "vm.substitutes", defaultValue = "true")
    protected boolean substitutesEnabled;

    /** Overrides {@code <substitutes><registry>}. */
    @Parameter(property = "vm.substitutes.registry")
    protected String substitutesRegistry;

    /** Overrides {@code <substitutes><publish>}: push the outputs this build made (CI sets it). */
    @Parameter(property = "vm.substitutes.publish")
    protected Boolean substitutesPublish;

    /** Overrides {@code <substitutes><trustedKeys>}: OpenPGP public key files, separated by commas. */
    @Parameter(property = "vm.substitutes.trustedKeys")
    protected String substitutesTrustedKeys;

    /** Overrides {@code <substitutes><signingKey>}. */
    @Parameter(property = "vm.substitutes.signingKey")
    protected String substitutesSigningKey;

    /** Overrides {@code <substitutes><allowInsecureRegistry>}: plain HTTP to a registry not on loopback. */
    @Parameter(property = "vm.substitutes.allowInsecureRegistry")
    protected Boolean substitutesAllowInsecure;

    @Component
    protected SettingsDecrypter settingsDecrypter;

    /** Time stamp of every file and image date; Maven's reproducible-builds property. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}", readonly = true)
    protected String outputTimestamp;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping (vm.skip=true)");
            return;
        }
        try (Engine engine = engine()) {
            run(engine, reader());
        } catch (BuildException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }

    protected abstract void run(Engine engine, ConfigurationReader reader) throws MojoExecutionException;

    protected ConfigurationReader reader() {
        return new ConfigurationReader(new ProjectContext(project.getBasedir().toPath(), project.getArtifactId(),
                project.getVersion(), project.getBuild().getFinalName(), project.getPackaging()));
    }

    protected ImageConfig imageConfig() {
        ImageConfig config = image == null ? new ImageConfig() : image;
        if (imageFormat != null && !imageFormat.isBlank()) {
            config.format = imageFormat;
        }
        return config;
    }

    protected DockerConfig dockerConfig() {
        DockerConfig config = docker == null ? new DockerConfig() : docker;
        if (dockerName != null && !dockerName.isBlank()) {
            config.name = dockerName;
        }
        return config;
    }

    protected VmConfig vmConfig() {
        VmConfig config = vm == null ? new VmConfig() : vm;
        if (accelerator != null && !accelerator.isBlank()) {
            config.accelerator = accelerator;
        }
        return config;
    }

    protected StartConfig startConfig() {
        StartConfig config = start == null ? new StartConfig() : start;
        if (startBoot != null && !startBoot.isBlank()) {
            config.boot = startBoot;
        }
        return config;
    }

    /** The substitutes the goal uses: none when off, not configured, or in Maven's offline mode. */
    protected Optional<RegistrySubstitutes> registrySubstitutes(BuildLog log) {
        if (session.isOffline()) {
            return Optional.empty();
        }
        return new SubstitutesSetup(substitutes, substitutesEnabled, substitutesRegistry, substitutesPublish,
                substitutesTrustedKeys, substitutesSigningKey, substitutesAllowInsecure)
                .create(project.getBasedir().toPath(), session.getSettings(), settingsDecrypter, cacheDirectory(), log);
    }

    private Engine engine() {
        BuildLog log = new MavenBuildLog(getLog());
        VmConfig vmConfig = vmConfig();
        Substitutes fetched = registrySubstitutes(log).<Substitutes>map(s -> s).orElse(Substitutes.NONE);
        return new Engine(new BuildContext(
                project.getBasedir().toPath(),
                Path.of(project.getBuild().getDirectory()),
                project.getBuild().getFinalName(),
                cacheDirectory(),
                session.isOffline(),
                timestampSeconds(),
                Optional.ofNullable(qemu).map(File::toPath),
                Duration.ofSeconds(timeout), Duration.ofSeconds(hangTimeout),
                vmConfig.accelerator == null ? "auto" : vmConfig.accelerator,
                verify,
                applicationFiles(),
                log,
                BuilderVm.parseKernelArguments(builderKernelArguments)), fetched);
    }

    private Path cacheDirectory() {
        return CacheLocation.of(cacheDirectory);
    }

    /** {@code project.build.outputTimestamp} in seconds, or 1 s after the epoch (0 means "unset" to some tools). */
    private long timestampSeconds() {
        if (outputTimestamp == null || outputTimestamp.isBlank() || outputTimestamp.length() < 2) {
            return 1;
        }
        try {
            if (outputTimestamp.chars().allMatch(Character::isDigit)) {
                return Math.max(1, Long.parseLong(outputTimestamp));
            }
            return Math.max(1, OffsetDateTime.parse(outputTimestamp).toEpochSecond());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new BuildException("project.build.outputTimestamp '" + outputTimestamp
                    + "' is neither ISO-8601 (2024-01-01T00:00:00Z) nor seconds since the epoch; fix the property");
        }
    }

    /** The project's jar and runtime dependencies, for {@code <application>}; empty for a pom project. */
    private Optional<BuildContext.ApplicationFiles> applicationFiles() {
        Artifact main = project.getArtifact();
        if (main == null || main.getFile() == null || !main.getFile().isFile()) {
            return Optional.empty();
        }
        List<Path> dependencies = new ArrayList<>();
        for (Artifact a : project.getArtifacts()) {
            String scope = a.getScope();
            if (a.getFile() != null && a.getArtifactHandler().isAddedToClasspath()
                    && (Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope))) {
                dependencies.add(a.getFile().toPath());
            }
        }
        return Optional.of(new BuildContext.ApplicationFiles(main.getFile().toPath(), dependencies,
                Optional.ofNullable(session.getLocalRepository()).map(r -> Path.of(r.getBasedir()))));
    }

}
