package dev.vmforge.image;

import dev.vmforge.os.ImageSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the partitions of the image go, and the {@code sfdisk} script that makes them.
 *
 * <p>GPT: an optional 1 MiB BIOS boot partition (GRUB's core.img on BIOS), an optional 40 MiB
 * EFI system partition, then the root file system; everything aligned to 1 MiB, with the last MiB
 * left free for the backup GPT. MBR: optional ESP (type {@code ef}) and a bootable root
 * ({@code 83}); BIOS GRUB embeds itself in the gap before the first partition.
 */
public record PartitionLayout(ImageSpec.PartitionTable table, long diskBytes, ImageIds ids, List<Partition> partitions) {

    public static final long SECTOR = 512;
    public static final long MIB = 1024 * 1024;
    public static final long BIOS_BOOT_BYTES = MIB;
    public static final long ESP_BYTES = 40 * MIB;
    /** The first MiB holds the partition table (and, on MBR, GRUB's core.img). */
    static final long HEAD_BYTES = MIB;
    /** Kept free at the end: the backup GPT needs 33 sectors; a whole MiB keeps sizes aligned. */
    static final long TAIL_BYTES = MIB;
    /** Device of the output disk in the builder VM: it is attached first. */
    public static final String OUTPUT_DISK = "/dev/vda";

    static final String GPT_BIOS_BOOT = "21686148-6449-6E6F-744E-656564454649";
    static final String GPT_ESP = "C12A7328-F81F-11D2-BA4B-00A0C93EC3B8";
    static final String GPT_LINUX = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

    public PartitionLayout {
        partitions = List.copyOf(partitions);
    }

    /** Bytes of the disk that are not the root file system, for this image's table and firmware. */
    public static long fixedBytes(ImageSpec spec) {
        long bytes = HEAD_BYTES + TAIL_BYTES;
        if (spec.partitionTable() == ImageSpec.PartitionTable.GPT && spec.firmware().bios()) {
            bytes += BIOS_BOOT_BYTES;
        }
        if (spec.firmware().efi()) {
            bytes += ESP_BYTES;
        }
        return bytes;
    }

    /**
     * Plans a disk of {@code diskBytes} (a whole number of MiB) whose root partition takes all the
     * space the fixed partitions leave.
     */
    public static PartitionLayout plan(ImageSpec spec, long diskBytes, ImageIds ids) {
        if (diskBytes % MIB != 0) {
            throw new IllegalArgumentException("disk size must be a whole number of MiB: " + diskBytes);
        }
        long rootBytes = diskBytes - fixedBytes(spec);
        if (rootBytes < MIB) {
            throw new IllegalArgumentException("disk of " + diskBytes + " bytes leaves no room for the root partition");
        }
        boolean gpt = spec.partitionTable() == ImageSpec.PartitionTable.GPT;
        List<Partition> parts = new ArrayList<>();
        long next = HEAD_BYTES;
        if (gpt && spec.firmware().bios()) {
            parts.add(partition(parts.size() + 1, Partition.Role.BIOS_BOOT, next, BIOS_BOOT_BYTES,
                    GPT_BIOS_BOOT, ids, true, "bios", false));
            next += BIOS_BOOT_BYTES;
        }
        if (spec.firmware().efi()) {
            parts.add(partition(parts.size() + 1, Partition.Role.ESP, next, ESP_BYTES,
                    gpt ? GPT_ESP : "ef", ids, gpt, "esp", false));
            next += ESP_BYTES;
        }
        parts.add(partition(parts.size() + 1, Partition.Role.ROOT, next, rootBytes,
                gpt ? GPT_LINUX : "83", ids, gpt, "root", !gpt));
        return new PartitionLayout(spec.partitionTable(), diskBytes, ids, parts);
    }

    private static Partition partition(int number, Partition.Role role, long start, long size, String type,
                                       ImageIds ids, boolean gpt, String name, boolean bootable) {
        return new Partition(number, role, start / SECTOR, size / SECTOR, type,
                gpt ? Optional.of(ids.partitionGuid(number)) : Optional.empty(), name, bootable);
    }

    public Partition root() {
        return find(Partition.Role.ROOT).orElseThrow();
    }

    public Optional<Partition> esp() {
        return find(Partition.Role.ESP);
    }

    public Optional<Partition> biosBoot() {
        return find(Partition.Role.BIOS_BOOT);
    }

    private Optional<Partition> find(Partition.Role role) {
        return partitions.stream().filter(p -> p.role() == role).findFirst();
    }

    /** Input for {@code sfdisk}: every start, size, type and identifier explicit, so the table is reproducible. */
    public String sfdiskScript() {
        StringBuilder s = new StringBuilder();
        if (table == ImageSpec.PartitionTable.GPT) {
            s.append("label: gpt\n");
            s.append("label-id: ").append(ids.diskGuid().toString().toUpperCase(Locale.ROOT)).append('\n');
        } else {
            s.append("label: dos\n");
            s.append(String.format("label-id: 0x%08x", ids.mbrDiskId())).append('\n');
        }
        s.append("unit: sectors\n");
        if (table == ImageSpec.PartitionTable.GPT) {
            s.append("first-lba: ").append(HEAD_BYTES / SECTOR).append('\n');
        }
        for (Partition p : partitions) {
            s.append(p.device()).append(" : start=").append(p.startSector())
                    .append(", size=").append(p.sizeSectors())
                    .append(", type=").append(p.type());
            p.guid().ifPresent(g -> s.append(", uuid=").append(g.toString().toUpperCase(Locale.ROOT)));
            if (table == ImageSpec.PartitionTable.GPT) {
                s.append(", name=\"").append(p.name()).append('"');
            }
            if (p.bootable()) {
                s.append(", bootable");
            }
            s.append('\n');
        }
        return s.toString();
    }
}
