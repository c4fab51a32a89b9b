package dev.vmforge.docker;

import dev.vmforge.fs.FileTree;

import java.util.Objects;

/**
 * One image layer: a file tree stacked over the layers before it.
 *
 * @param createdBy the history entry's {@code created_by}, e.g. {@code vm-maven-plugin: system layer}
 * @param comment   the history entry's comment, or null
 */
public record Layer(FileTree tree, String createdBy, String comment) {
    public Layer {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(createdBy, "createdBy");
    }

    /** A layer whose history says {@code vm-maven-plugin: NAME layer}. */
    public static Layer of(String name, FileTree tree) {
        return new Layer(tree, "vm-maven-plugin: " + name + " layer", null);
    }
}
