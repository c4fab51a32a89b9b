package dev.vmforge.os;

import java.nio.file.Path;

/**
 * A project file copied into the system.
 *
 * @param source absolute host path (resolved against the project directory)
 * @param target absolute path in the system, e.g. {@code /etc/motd}
 * @param mode   permission bits, e.g. {@code 0644}
 */
public record FileSpec(Path source, String target, int mode, int uid, int gid) {
}
