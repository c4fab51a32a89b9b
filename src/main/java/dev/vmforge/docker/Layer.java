package dev.vmforge.docker;

import dev.vmforge.fs.FileTree;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One image layer: a file tree stacked over the layers before it.
 *
 * @param source    the tree, asked for only when the layer is not already in the layer cache
 * @param createdBy the history entry's {@code created_by}, e.g. {@code vm-maven-plugin: system layer}
 * @param comment   the history entry's comment, or null
 * @param cacheKey  identifies the tree's content for {@link DockerImageWriter}'s layer cache; empty: never cached
 */
public record Layer(Supplier<FileTree> source, String createdBy, String comment, Optional<String> cacheKey) {
    public Layer {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(cacheKey, "cacheKey");
    }

    /** A layer whose history says {@code vm-maven-plugin: NAME layer}. */
    public static Layer of(String name, FileTree tree) {
        return new Layer(() -> tree, "vm-maven-plugin: " + name + " layer", null, Optional.empty());
    }

    /**
     * A layer the writer reuses from its cache when {@code cacheKey} was written before; the tree is then
     * never built, so an application change does not re-read the system.
     */
    public static Layer cached(String name, String cacheKey, Supplier<FileTree> tree) {
        return new Layer(tree, "vm-maven-plugin: " + name + " layer", null, Optional.of(cacheKey));
    }

    public FileTree tree() {
        return source.get();
    }
}
