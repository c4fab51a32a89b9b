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
 * EFI system partition, the root file system, then, for a system with an application, the
 * {@link ApplicationPartitionFormat} (type "Linux reserved": it holds no file system); everything aligned to
 * 1 MiB, with the last MiB left free for the backup GPT. MBR: optional ESP (type {@code ef}), a bootable
 * root ({@code 83}) and the application ({@code da}, non-FS data); BIOS GRUB embeds itself in the gap
 * before the first partition.
 *
 * <p>The application partition always directly follows the root partition: the booted system's {@code rcS}
 * ({@code system/rcS.sh}) finds it as the root partition's number plus one on the same disk.
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
    static final String GPT_LINUX_RESERVED = "8DA63339-0007-60C0-C436-083AC8230908";

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

    /** A disk without an application partition. */
    public static PartitionLayout plan(ImageSpec spec, long diskBytes, ImageIds ids) {
        return plan(spec, diskBytes, ids, 0);
    }

    /**
     * Plans a disk of {@code diskBytes} (a whole number of MiB) whose root partition takes all the space the
     * fixed partitions and the application partition of {@code applicationBytes} (0: none) leave.
     */
    public static PartitionLayout plan(ImageSpec spec, long diskBytes, ImageIds ids, long applicationBytes) {
        if (diskBytes % MIB != 0 || applicationBytes % MIB != 0 || applicationBytes < 0) {
            throw new IllegalArgumentException("disk and application sizes must be whole numbers of MiB: "
                    + diskBytes + ", " + applicationBytes);
        }
        long rootBytes = diskBytes - fixedBytes(spec) - applicationBytes;
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
        next += rootBytes;
        if (applicationBytes > 0) {
            parts.add(partition(parts.size() + 1, Partition.Role.APPLICATION, next, applicationBytes,
                    gpt ? GPT_LINUX_RESERVED : "da", ids, gpt, "app", false));
        }
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

    /** The partition holding the application's tar, when the system has an application. */
    public Optional<Partition> application() {
        return find(Partition.Role.APPLICATION);
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
