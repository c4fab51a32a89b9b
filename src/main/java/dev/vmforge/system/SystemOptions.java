package dev.vmforge.system;

import java.util.Optional;

/**
 * What the generated files depend on besides the {@code OperatingSystem}.
 *
 * @param rootUuid   UUID of the root file system for {@code /etc/fstab}; empty for a container (no fstab entries)
 * @param rootFsType file system type of the root partition, e.g. {@code ext4}
 * @param mtime      modification time (seconds since the epoch) of every generated entry, for reproducible output
 */
public record SystemOptions(Optional<String> rootUuid, String rootFsType, long mtime) {

    public static SystemOptions forVm(String rootUuid, String rootFsType, long mtime) {
        return new SystemOptions(Optional.of(rootUuid), rootFsType, mtime);
    }

    public static SystemOptions forContainer(long mtime) {
        return new SystemOptions(Optional.empty(), "ext4", mtime);
    }
}
