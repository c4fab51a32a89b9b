package dev.vmforge.fs;

import dev.vmforge.BuildException;

/** An archive or configuration named a path that could escape the root file system. */
public class UnsafePathException extends BuildException {
    public UnsafePathException(String path, String reason) {
        super("refusing path '" + path + "': " + reason);
    }
}
