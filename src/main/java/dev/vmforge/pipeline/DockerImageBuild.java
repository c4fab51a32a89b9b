package dev.vmforge.pipeline;

import dev.vmforge.app.ApplicationLayer;
import dev.vmforge.docker.ContainerConfig;
import dev.vmforge.docker.DockerImageWriter;
import dev.vmforge.docker.Layer;
import dev.vmforge.docker.LayerTarWriter;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Store;
import dev.vmforge.system.SystemFiles;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code vm:build-docker-image}: the configured system (no kernel, bootloader or initrd) as one layer and
 * the application as another, written in Java as a docker-archive. Each layer is cached by its key, so an
 * application change compresses only the application layer and the small JSON files.
 */
final class DockerImageBuild {
    private final BuildContext context;
    private final Store projectStore;

    DockerImageBuild(BuildContext context, Store projectStore) {
        this.context = context;
        this.projectStore = projectStore;
    }

    Path build(OperatingSystem os, DockerSpec spec, DerivationKey systemKey, Supplier<FileTree> configured,
               Optional<ApplicationLayer> application) {
        DerivationKey.Builder keyBuilder = DerivationKey.builder("docker-image").add("system", systemKey)
                .add("docker", spec.toString());
        application.ifPresent(app -> keyBuilder.add("application", app.key()));
        String extension = spec.format() == DockerSpec.Format.OCI ? "-oci.tar" : "-docker.tar";
        DerivationKey key = keyBuilder.build();
        PublishedOutput target = new PublishedOutput(context.targetDirectory().resolve(context.finalName() + extension),
                context.workDirectory());
        try (Step step = Step.start(context.log(), "Docker image")) {
            if (target.upToDate(key)) {
                step.outcome("up to date");
                return target.path();
            }
            target.write(key, out -> {
                List<Layer> layers = new ArrayList<>();
                DerivationKey systemLayer = DerivationKey.builder("system-layer").add("system", systemKey).build();
                layers.add(Layer.cached("system", systemLayer.hex(), () -> SystemTree.forContainer(os,
                        configured.get(), context.outputTimestamp(), context.log())));
                application.ifPresent(app -> layers.add(Layer.cached("application", app.key().hex(), app::tree)));
                ContainerConfig config = ContainerConfig.of(spec, Instant.ofEpochSecond(context.outputTimestamp()),
                        List.of(SystemFiles.CONTAINER_ENTRYPOINT));
                new DockerImageWriter(LayerTarWriter.standard(), projectStore.root().resolve("layers"))
                        .write(layers, config, spec, out);
            });
            step.outcome("built");
            return target.path();
        }
    }
}
