package dev.vmforge.docker;

import dev.vmforge.fs.FileTree;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One image layer: a file tree stacked over the layers before it.
 *
 * @param source    the tree, asked for only when the layer is not written already
 * @param createdBy the history entry's {@code created_by}, e.g. {@code vm-maven-plugin: system layer}
 * @param comment   the history entry's comment, or null
 * @param written   the layer already compressed (e.g. kept in the store by its key): the writer uses it as it is
 */
public record Layer(Supplier<FileTree> source, String createdBy, String comment, Optional<LayerBlob> written) {
    public Layer {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(written, "written");
    }

    /** A layer whose history says {@code vm-maven-plugin: NAME layer}. */
    public static Layer of(String name, FileTree tree) {
        return new Layer(() -> tree, createdBy(name), null, Optional.empty());
    }

    /** A layer written before ({@link DockerImageWriter#writeLayer}); its tree is never needed. */
    public static Layer written(String name, LayerBlob blob) {
        return new Layer(() -> {
            throw new IllegalStateException("the " + name + " layer is already written");
        }, createdBy(name), null, Optional.of(blob));
    }

    public FileTree tree() {
        return source.get();
    }

    private static String createdBy(String name) {
        return "vm-maven-plugin: " + name + " layer";
    }
}
