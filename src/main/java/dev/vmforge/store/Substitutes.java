package dev.vmforge.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where outputs built elsewhere come from, and where outputs built here go: Guix's substitutes. A realizer asks
 * for a substitutable output before building it and offers what it built afterwards. Every failure (a miss, an
 * unreachable server, a refused signature) is the implementation's warning, never the build's failure: the
 * output is then built here.
 */
public interface Substitutes {
    /** No substitutes: everything is built here. */
    Substitutes NONE = new Substitutes() {
        @Override
        public Optional<String> fetch(DerivationKey key, String name, Path out) {
            return Optional.empty();
        }

        @Override
        public boolean publishes() {
            return false;
        }

        @Override
        public void publish(DerivationKey key, String name, Path entry, List<EntryFile> files) {
        }
    };

    /**
     * Writes the files of the output of {@code key} into the empty directory {@code out}, each verified against
     * a trusted signature.
     *
     * @return where it came from, for the log line; empty when there is no usable substitute ({@code out} may
     *         then hold anything: the caller empties it)
     */
    Optional<String> fetch(DerivationKey key, String name, Path out);

    /** Whether {@link #publish} pushes anything: outputs found in the store are then offered too. */
    boolean publishes();

    /** Offers the files of a finished store entry built here, as its manifest lists them. */
    void publish(DerivationKey key, String name, Path entry, List<EntryFile> files);
}
