package dev.vmforge.fs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A cached file no longer has the bytes it was verified to have (a cut download, a damaged disk, a bad copy of a
 * cache). The caller discards it and fetches or builds it again; its content must not be used.
 */
public final class CorruptFileException extends IOException {
    private final Path file;

    public CorruptFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
