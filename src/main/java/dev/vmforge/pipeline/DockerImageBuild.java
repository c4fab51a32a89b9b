package dev.vmforge.pipeline;

import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.docker.ContainerConfig;
import dev.vmforge.docker.DockerImageWriter;
import dev.vmforge.docker.Layer;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Store;
import dev.vmforge.system.SystemFiles;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code vm:build-docker-image}: the system (without kernel or boot files) as one layer, written in Java
 * as a docker-archive; no daemon, no VM unless packages need configuring.
 */
final class DockerImageBuild {
    private final BuildContext context;
    private final Store projectStore;

    DockerImageBuild(BuildContext context, Store projectStore) {
        this.context = context;
        this.projectStore = projectStore;
    }

    Path build(OperatingSystem os, DockerSpec spec, ResolvedClosure closure, DerivationKey systemKey,
               Function<List<ResolvedPackage>, Map<ResolvedPackage, Path>> download) {
        DerivationKey key = DerivationKey.builder("docker-image").add("system", systemKey)
                .add("docker", spec.toString()).build();
        String extension = spec.format() == DockerSpec.Format.OCI ? "-oci.tar" : "-docker.tar";
        Path stored;
        try (Step step = Step.start(context.log(), "Docker image")) {
            Store.Result result = projectStore.realize(key, "image" + extension, out -> {
                List<ResolvedPackage> packages = closure.packages().stream()
                        .filter(p -> !SystemTree.isKernel(p.name())).toList();
                Map<ResolvedPackage, Path> debs = download.apply(packages);
                List<Path> files = packages.stream().map(debs::get).toList();
                FileTree system = SystemTree.forContainer(os, files, context.outputTimestamp(), context.log());
                ContainerConfig config = ContainerConfig.of(spec, Instant.ofEpochSecond(context.outputTimestamp()),
                        List.of(SystemFiles.CONTAINER_ENTRYPOINT));
                new DockerImageWriter().write(List.of(Layer.of("system", system)), config, spec, out);
            });
            step.outcome(result.built() ? "built" : "up to date");
            stored = result.path();
        }
        return DiskImageBuild.publish(stored, context.targetDirectory().resolve(context.finalName() + extension));
    }
}
