package dev.vmforge.image;

import dev.vmforge.Sha256;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.UUID;

/**
 * Every identifier written into a disk image, derived from one seed (the image derivation's key),
 * so the same inputs give the same GUIDs, file system UUID and FAT serial, and a different image
 * never collides with another one attached to the same machine.
 *
 * @param diskGuid   GPT disk GUID
 * @param mbrDiskId  MBR disk signature (the {@code label-id} of a dos label)
 * @param rootUuid   UUID of the root file system: GRUB searches it, the kernel gets {@code root=UUID=}
 * @param hashSeed   ext4 directory-hash seed ({@code mke2fs -E hash_seed=}), fixed for reproducibility
 * @param espSerial  FAT volume serial of the EFI system partition ({@code mkfs.fat -i}), 8 hex digits
 */
public record ImageIds(String seed, UUID diskGuid, int mbrDiskId, UUID rootUuid, UUID hashSeed, String espSerial) {

    public ImageIds {
        Objects.requireNonNull(seed, "seed");
    }

    public static ImageIds derive(String seed) {
        byte[] serial = digest(seed, "esp-serial");
        return new ImageIds(seed,
                uuid(seed, "gpt-disk"),
                ByteBuffer.wrap(digest(seed, "mbr-disk-id")).getInt(),
                uuid(seed, "root-fs"),
                uuid(seed, "ext4-hash-seed"),
                String.format("%02X%02X%02X%02X", serial[0], serial[1], serial[2], serial[3]));
    }

    /** The GPT unique partition GUID of partition {@code number} (1-based). */
    public UUID partitionGuid(int number) {
        return uuid(seed, "gpt-partition-" + number);
    }

    /** A random-looking (version 4, RFC 4122 variant) UUID taken from SHA-256 of seed and purpose. */
    static UUID uuid(String seed, String purpose) {
        ByteBuffer b = ByteBuffer.wrap(digest(seed, purpose));
        long high = (b.getLong() & ~0xF000L) | 0x4000L;
        long low = (b.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private static byte[] digest(String seed, String purpose) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(purpose.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(seed.getBytes(StandardCharsets.UTF_8));
        return sha.digest();
    }
}
