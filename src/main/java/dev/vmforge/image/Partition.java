package dev.vmforge.image;

import java.util.Optional;
import java.util.UUID;

/**
 * One partition of the output disk, in 512-byte sectors.
 *
 * @param number  1-based, so the guest device is {@code /dev/vda<number>}
 * @param type    sfdisk type: a GPT type GUID, or an MBR type byte in hex ({@code ef}, {@code 83}, {@code da})
 * @param guid    GPT unique partition GUID; empty on MBR
 */
public record Partition(int number, Role role, long startSector, long sizeSectors, String type,
                        Optional<UUID> guid, String name, boolean bootable) {

    public enum Role { BIOS_BOOT, ESP, ROOT, APPLICATION }

    public long startBytes() {
        return startSector * PartitionLayout.SECTOR;
    }

    public long sizeBytes() {
        return sizeSectors * PartitionLayout.SECTOR;
    }

    /** The device the builder VM sees for this partition of its first virtio disk. */
    public String device() {
        return PartitionLayout.OUTPUT_DISK + number;
    }
}
