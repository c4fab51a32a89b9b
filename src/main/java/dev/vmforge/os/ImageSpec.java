package dev.vmforge.os;

import java.util.OptionalLong;

/**
 * The {@code <image>} block: the disk image's shape.
 *
 * @param sizeBytes    empty means {@code guess}: content plus headroom (an ISO has no size: it holds its files)
 * @param volatileRoot the initrd mounts the root read-only under an overlay whose upper layer is a tmpfs: nothing
 *                     is ever written to the medium. Always true for an ISO.
 */
public record ImageSpec(Format format, OptionalLong sizeBytes, PartitionTable partitionTable,
                        Firmware firmware, FileSystemType fileSystemType, String fileSystemLabel,
                        boolean volatileRoot) {

    public ImageSpec {
        volatileRoot = volatileRoot || format == Format.ISO;
    }

    /** A persistent root. */
    public ImageSpec(Format format, OptionalLong sizeBytes, PartitionTable partitionTable,
                     Firmware firmware, FileSystemType fileSystemType, String fileSystemLabel) {
        this(format, sizeBytes, partitionTable, firmware, fileSystemType, fileSystemLabel, false);
    }

    public enum Format {
        QCOW2("qcow2"), RAW("img"), ISO("iso");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public String extension() {
            return extension;
        }
    }

    /** The same image in another file format. */
    public ImageSpec withFormat(Format other) {
        return new ImageSpec(other, sizeBytes, partitionTable, firmware, fileSystemType, fileSystemLabel,
                volatileRoot && format != Format.ISO);
    }

    /**
     * The ISO's volume ID: the label upper-cased (ISO 9660 names are), '.' and '-' as '_' (its d-characters).
     * GRUB and the initrd find the medium by it.
     */
    public String isoVolumeId() {
        return fileSystemLabel.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public enum PartitionTable { GPT, MBR }

    public enum Firmware {
        BIOS, EFI, BIOS_EFI;

        public boolean bios() {
            return this != EFI;
        }

        public boolean efi() {
            return this != BIOS;
        }
    }

    public enum FileSystemType { EXT4, EXT3, EXT2 }
}
