package dev.vmforge.pipeline;

import dev.vmforge.app.ApplicationTree;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.store.Realizer;
import dev.vmforge.system.RootMedium;
import dev.vmforge.system.SystemConfiguration;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The derivations one declared system is made of, laid out before anything is built: the builder, the configured
 * packages, and the outputs every goal derives from them. Making a derivation here builds nothing; only
 * {@link Realizer#realize} does, and only what the store lacks.
 *
 * @param kernel      the kernel package(s), unpacked onto the configured system for a bootable one
 * @param system      what is generated from the POM (the application's default service included)
 * @param application the project's jar and dependencies, for a system with {@code <application>}
 */
record SystemGraph(OperatingSystem declared, ResolvedClosure kernel, BuilderEnvironment builder,
                   ConfiguredSystem configured, SystemConfiguration system, Optional<ApplicationTree> application,
                   long time, Realizer realizer, Tools tools) {

    /**
     * @param closure        the system's packages, the kernel included
     * @param builderClosure the builder VM's packages
     */
    static SystemGraph of(OperatingSystem declared, ResolvedClosure closure, ResolvedClosure builderClosure,
                          Optional<ApplicationTree> application, long time, Realizer realizer, Tools tools) {
        BuilderEnvironment builder = new BuilderEnvironment(builderClosure, tools);
        ConfiguredSystem configured = new ConfiguredSystem(BuilderEnvironment.packagesWhere(closure, false), builder,
                time, tools);
        return new SystemGraph(declared, BuilderEnvironment.packagesWhere(closure, true), builder, configured,
                SystemConfiguration.of(declared), application, time, realizer, tools);
    }

    RootFileSystem rootFileSystem(ImageSpec image) {
        return new RootFileSystem(configured, kernel, system, image.fileSystemType(), medium(image),
                application.isPresent(), time, tools);
    }

    static RootMedium medium(ImageSpec image) {
        return RootMedium.of(image.format() == ImageSpec.Format.ISO, image.volatileRoot());
    }

    Optional<ApplicationPartition> applicationPartition() {
        return application.map(app -> new ApplicationPartition(app, time));
    }

    /** The system's image, with a slot as large as the application partition (realized to know its size). */
    SystemImage systemImage(ImageSpec image, Optional<ApplicationPartition> app) {
        if (image.format() == ImageSpec.Format.ISO) { // no partitions: the application goes into the ISO's root
            return new SystemImage(rootFileSystem(image), builder, image, kernelArguments(image), declared.hostName(),
                    0, app, time, tools);
        }
        long applicationBytes = app.map(a -> realizer.realize(a).partitionBytes()).orElse(0L);
        return new SystemImage(rootFileSystem(image), builder, image, kernelArguments(image), declared.hostName(),
                applicationBytes, Optional.empty(), time, tools);
    }

    /** What the root's medium needs the initrd to know (a volatile root), then the user's arguments. */
    private List<String> kernelArguments(ImageSpec image) {
        List<String> arguments = new ArrayList<>(medium(image).kernelArguments());
        arguments.addAll(declared.kernelArguments());
        return arguments;
    }

    DiskImage diskImage(ImageSpec image, Optional<ApplicationPartition> app) {
        SystemImage system = systemImage(image, app);
        return new DiskImage(system, system.contained().isPresent() ? Optional.empty() : app, tools);
    }

    DockerImage dockerImage(DockerSpec docker) {
        List<ContainerLayer> layers = new ArrayList<>();
        layers.add(new ContainerLayer.SystemLayer(configured, system, application.isPresent(), time, tools));
        application.ifPresent(app -> layers.add(new ContainerLayer.ApplicationLayer(app, time)));
        return new DockerImage(layers, docker, time);
    }
}
