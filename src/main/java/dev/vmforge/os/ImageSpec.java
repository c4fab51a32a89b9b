package dev.vmforge.os;

import java.util.OptionalLong;

/**
 * The {@code <image>} block: the disk image's shape.
 *
 * @param sizeBytes empty means {@code guess}: content plus headroom
 */
public record ImageSpec(Format format, OptionalLong sizeBytes, PartitionTable partitionTable,
                        Firmware firmware, FileSystemType fileSystemType, String fileSystemLabel) {

    public enum Format {
        QCOW2("qcow2"), RAW("img");

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
        return new ImageSpec(other, sizeBytes, partitionTable, firmware, fileSystemType, fileSystemLabel);
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
