package dev.vmforge.pipeline;

import dev.vmforge.docker.ContainerConfig;
import dev.vmforge.docker.DockerImageWriter;
import dev.vmforge.docker.Layer;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.Inputs;
import dev.vmforge.store.Realizer;
import dev.vmforge.system.SystemFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vm:build-docker-image}'s archive: the layers (system, then application) with the image's configuration
 * and name, written in Java as a docker-archive or an OCI archive. Published to {@code target/}.
 */
record DockerImage(List<ContainerLayer> layers, DockerSpec spec, long time) implements Derivation<Path> {
    DockerImage {
        layers = List.copyOf(layers);
    }

    @Override
    public String name() {
        return "docker-image";
    }

    @Override
    public String title() {
        return "Docker image";
    }

    @Override
    public Location location() {
        return Location.PROJECT;
    }

    @Override
    public void declare(Inputs inputs) {
        inputs.list("layers", layers, (in, layer) -> in.derivation("layer", layer))
                .text("name", spec.name())
                .choice("format", spec.format())
                .texts("entrypoint", spec.entrypoint())
                .texts("ports", spec.ports())
                .map("environment", spec.environment())
                .map("labels", spec.labels())
                .number("time", time);
    }

    @Override
    public String build(Path out, Realizer realizer) throws IOException {
        List<Layer> written = new ArrayList<>();
        for (ContainerLayer layer : layers) {
            written.add(Layer.written(layer.layerName(), realizer.input(layer)));
        }
        ContainerConfig config = ContainerConfig.of(spec, Instant.ofEpochSecond(time),
                List.of(SystemFiles.CONTAINER_ENTRYPOINT));
        new DockerImageWriter().write(written, config, spec, out.resolve(fileName()));
        return layers.size() + " layers";
    }

    @Override
    public Path read(Path out) {
        return out.resolve(fileName());
    }

    /** {@code -docker.tar} or {@code -oci.tar}, after the final name. */
    String suffix() {
        return spec.format() == DockerSpec.Format.OCI ? "-oci.tar" : "-docker.tar";
    }

    private String fileName() {
        return "image" + suffix();
    }
}
