package dev.vmforge.fs;

import java.util.List;

/**
 * A package whose data archive went into a {@link FileTree}.
 *
 * @param deb   the package (control fields, scripts, conffiles, md5sums)
 * @param paths every path of its data archive in archive order, as the package names it (normalized, so
 *              {@code ./usr/bin/} is {@code usr/bin}; the root itself is left out). Through a symlinked parent
 *              the tree may store the entry elsewhere; dpkg's file list records these paths, as here.
 */
public record UnpackedPackage(DebPackage deb, List<String> paths) {
    public UnpackedPackage {
        paths = List.copyOf(paths);
    }
}
