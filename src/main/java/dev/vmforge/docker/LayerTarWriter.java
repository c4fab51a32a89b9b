package dev.vmforge.docker;

import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TarWriter;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a file tree as one reproducible tar stream: entries in tree order, numeric owners only,
 * every mtime set to the given time. Its output is a Docker layer, so equal trees must give equal bytes.
 */
public interface LayerTarWriter {

    /** Writes the whole archive, end-of-archive blocks included; does not close {@code out}. */
    void write(FileTree tree, long mtimeSeconds, OutputStream out) throws IOException;

    /** The writer used unless a caller supplies another one. */
    static LayerTarWriter standard() {
        return (tree, mtimeSeconds, out) -> new TarWriter(mtimeSeconds).withPrefix("").write(tree, out);
    }
}
