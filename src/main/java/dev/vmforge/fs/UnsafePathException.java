package dev.vmforge.fs;

import dev.vmforge.BuildException;
import java.nio.file.Path;

/** An archive or configuration named a path that could escape the root file system. */
public class UnsafePathException extends BuildException {
    private final String reason;

    public UnsafePathException(String path, String reason) {
        super("refusing path '" + path + "': " + reason);
        this.reason = reason;
    }

    /** The same refusal, naming the archive and the entry in it. */
    public UnsafePathException(Path archive, String entry, String reason) {
        super("refusing entry '" + entry + "' of " + archive + ": " + reason
                + ". The package is malformed or malicious; remove it from the package list.");
        this.reason = reason;
    }

    /** Why the path was refused, without the path. */
    public String reason() {
        return reason;
    }
}
