package dev.vmforge.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What the host reads of an ISO 9660 image: its size, from the primary volume descriptor. */
public final class IsoVolume {
    /** The primary volume descriptor is logical sector 16. */
    static final long PVD_OFFSET = 16 * 2048;
    /** Its volume space size (little-endian half of a both-endian 32-bit number), in logical blocks. */
    static final int VOLUME_SPACE_SIZE = 80;
    static final int LOGICAL_BLOCK_SIZE_FIELD = 128;

    private IsoVolume() {
    }

    /** The image's size in bytes: volume space size times logical block size (xorriso counts its GPT's backup in). */
    public static long bytes(Path image) throws IOException {
        ByteBuffer pvd = ByteBuffer.allocate(2048).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ)) {
            while (pvd.hasRemaining() && ch.read(pvd, PVD_OFFSET + pvd.position()) > 0) {
                // read the whole sector
            }
        }
        if (pvd.get(0) != 1 || !"CD001".equals(new String(pvd.array(), 1, 5, java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new IOException(image + " has no ISO 9660 primary volume descriptor at byte " + PVD_OFFSET);
        }
        long blocks = Integer.toUnsignedLong(pvd.getInt(VOLUME_SPACE_SIZE));
        int blockSize = Short.toUnsignedInt(pvd.getShort(LOGICAL_BLOCK_SIZE_FIELD));
        return blocks * blockSize;
    }
}
