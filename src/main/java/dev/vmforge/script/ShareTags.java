package dev.vmforge.script;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands out the mount tags of one script: {@link MountTags#forPath} for a directory's first export, a tag of its
 * own for each further export of the same directory (a 9p channel can be mounted only once in the guest).
 */
final class ShareTags {
    private final Map<Path, Integer> exports = new HashMap<>();
    private final Map<String, Path> owners = new HashMap<>();

    String tagFor(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        int ordinal = exports.merge(absolute, 1, Integer::sum) - 1;
        String tag = MountTags.forPath(absolute, ordinal);
        Path previous = owners.putIfAbsent(tag, absolute);
        if (previous != null) {
            // 80 bits of SHA-256 colliding: not expected in practice, but never mount the wrong directory
            throw new IllegalStateException("mount tag " + tag + " computed for both " + previous + " and " + absolute);
        }
        return tag;
    }
}
