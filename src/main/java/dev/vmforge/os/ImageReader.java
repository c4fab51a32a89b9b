package dev.vmforge.os;

import dev.vmforge.os.pom.ImageConfig;

import java.util.Locale;
import java.util.OptionalLong;

/** {@code <image>}: qcow2, sized by guess, GPT, bootable by BIOS and EFI, one ext4 root labelled {@code root}. */
final class ImageReader {
    /** Below this no Debian system with a kernel and GRUB fits; a smaller explicit size is surely a typo. */
    static final long MINIMUM_SIZE = 64L << 20;

    ImageSpec read(ImageConfig config) {
        ImageConfig c = config == null ? new ImageConfig() : config;
        ImageSpec.Format format = Values.choice("image/format", c.format, ImageSpec.Format.QCOW2);
        if (format == ImageSpec.Format.ISO) {
            notForIso("image/size", c.size, "an ISO holds exactly its files");
            notForIso("image/partitionTable", c.partitionTable,
                    "an ISO has its own hybrid layout (El Torito for CDs, MBR and GPT for USB sticks)");
        }
        return new ImageSpec(
                format,
                size(c.size),
                Values.choice("image/partitionTable", c.partitionTable, ImageSpec.PartitionTable.GPT),
                Values.choice("image/firmware", c.firmware, ImageSpec.Firmware.BIOS_EFI,
                        firmware -> firmware.name().toLowerCase(Locale.ROOT).replace('_', '+')),
                Values.choice("image/fileSystemType", c.fileSystemType, ImageSpec.FileSystemType.EXT4),
                Names.fileSystemLabel("image/fileSystemLabel", c.fileSystemLabel),
                Values.flag(c.volatileRoot, false));
    }

    private static void notForIso(String element, String value, String why) {
        if (Values.given(value) != null) {
            throw new InvalidConfigurationException(element, "does not apply to <format>iso</format>: " + why
                    + ". Remove <" + element.substring(element.indexOf('/') + 1) + ">, or use <format>qcow2</format>"
                    + " or raw");
        }
    }

    private static OptionalLong size(String text) {
        String value = Values.given(text);
        if (value == null || value.equalsIgnoreCase("guess")) {
            return OptionalLong.empty();
        }
        long bytes = Values.size("image/size", value);
        if (bytes < MINIMUM_SIZE) {
            throw new InvalidConfigurationException("image/size", "'" + value + "' is smaller than the 64M minimum"
                    + " a bootable system needs; write guess (content plus headroom) or a size of at least 64M");
        }
        return OptionalLong.of(bytes);
    }
}
