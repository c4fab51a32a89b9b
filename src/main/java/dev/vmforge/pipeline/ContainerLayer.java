package dev.vmforge.pipeline;

import dev.vmforge.app.ApplicationTree;
import dev.vmforge.docker.DockerImageWriter;
import dev.vmforge.docker.Layer;
import dev.vmforge.docker.LayerBlob;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.StableProperties;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.Inputs;
import dev.vmforge.store.Realizer;
import dev.vmforge.system.SystemConfiguration;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * One layer of the Docker image, compressed, with its digests: the system (the configured system and the files
 * generated for a container) or the application. Each is kept by its key, so an application change compresses
 * only the application layer.
 */
sealed interface ContainerLayer extends Derivation<LayerBlob> {
    String FILE = "layer.tar.gz";

    /** The history's name of the layer: {@code vm-maven-plugin: NAME layer}. */
    String layerName();

    /** Every file's time. */
    long time();

    /** The layer's files. */
    FileTree tree(Realizer realizer) throws IOException;

    @Override
    default String name() {
        return layerName() + "-layer";
    }

    @Override
    default String title() {
        return "Docker " + layerName() + " layer";
    }

    @Override
    default Location location() {
        return Location.PROJECT;
    }

    @Override
    default String build(Path out, Realizer realizer) throws IOException {
        LayerBlob blob = new DockerImageWriter().writeLayer(Layer.of(layerName(), tree(realizer)), time(),
                out.resolve(FILE));
        Properties p = new Properties();
        p.setProperty("diffId", blob.diffId());
        p.setProperty("tarSize", Long.toString(blob.tarSize()));
        p.setProperty("blobDigest", blob.blobDigest());
        p.setProperty("blobSize", Long.toString(blob.blobSize()));
        StableProperties.write(p, out.resolve("layer.properties"));
        return Engine.humanSize(blob.blobSize()) + " compressed";
    }

    @Override
    default LayerBlob read(Path out) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(out.resolve("layer.properties"))) {
            p.load(r);
        }
        return new LayerBlob(out.resolve(FILE), p.getProperty("diffId"), Long.parseLong(p.getProperty("tarSize")),
                p.getProperty("blobDigest"), Long.parseLong(p.getProperty("blobSize")));
    }

    /** The configured system with the files generated for a container: no kernel, bootloader or initrd. */
    record SystemLayer(ConfiguredSystem configured, SystemConfiguration system, boolean requireJava, long time,
                       Tools tools) implements ContainerLayer {
        @Override
        public String layerName() {
            return "system";
        }

        /** The system's layer tars a whole configured system (seconds): worth fetching from substitutes. */
        @Override
        public boolean substitutable() {
            return true;
        }

        @Override
        public void declare(Inputs inputs) {
            inputs.derivation("configured", configured);
            system.declare(inputs);
            inputs.flag("requireJava", requireJava).number("time", time);
        }

        @Override
        public FileTree tree(Realizer realizer) throws IOException {
            FileTree tree = ConfiguredSystem.tree(realizer.input(configured));
            if (requireJava) {
                ApplicationTree.requireJava(tree);
            }
            SystemTree.container(tree, system, time, tools);
            return tree;
        }
    }

    /** The project's jar, its dependencies and its launcher. */
    record ApplicationLayer(ApplicationTree application, long time) implements ContainerLayer {
        @Override
        public String layerName() {
            return "application";
        }

        @Override
        public void declare(Inputs inputs) {
            application.declare(inputs);
            inputs.number("time", time);
        }

        @Override
        public FileTree tree(Realizer realizer) {
            return application.tree();
        }
    }
}
