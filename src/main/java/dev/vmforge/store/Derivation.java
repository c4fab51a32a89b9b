package dev.vmforge.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One build step, in the shape of Guix's derivations: a name, the inputs it declares, a build function and an
 * output. Its key is the canonical encoding of exactly the declared inputs ({@link Inputs}), so an output in the
 * store is reused while they are unchanged, and the build function must read nothing it did not declare (tools
 * and services it is given, such as the QEMU runner or the log, are not inputs: they do not change the bytes).
 *
 * <p>A {@link Realizer} computes keys (without building anything), finds outputs in the store or builds them,
 * and hands each build the outputs of its input derivations.
 *
 * @param <T> the output as the rest of the graph uses it (a path, or a record of paths and numbers)
 */
public interface Derivation<T> {
    /** Where the output is kept. */
    enum Location {
        /** The shared cache: the output depends on no project file, so every project may reuse it. */
        SHARED,
        /** {@code target/vm/store}: the output holds something of the project's. */
        PROJECT
    }

    /** Short, file-name-safe: the store entry is {@code KEY-NAME}. */
    String name();

    /** The build's log line, e.g. {@code Root file system}. */
    String title();

    Location location();

    /**
     * Whether the output is worth fetching from a substitute registry instead of building it (Guix's
     * {@code #:substitutable?}): its build starts a VM or takes more than a second.
     */
    default boolean substitutable() {
        return false;
    }

    /** Declares every input the output depends on. */
    void declare(Inputs inputs);

    /**
     * Writes the output into the empty directory {@code out}, realizing its input derivations through
     * {@code realizer}.
     *
     * @return what was built, for the log line (e.g. {@code 114 packages configured})
     */
    String build(Path out, Realizer realizer) throws IOException, InterruptedException;

    /** The output as the graph uses it, read from a finished entry. */
    T read(Path out) throws IOException;
}
