package dev.vmforge.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsoVolumeTest {
    @TempDir
    Path dir;

    @Test
    void theSizeIsTheVolumeSpaceTimesTheBlockSize() throws IOException {
        byte[] image = new byte[40 * 2048];
        ByteBuffer pvd = ByteBuffer.wrap(image, 16 * 2048, 2048).slice().order(ByteOrder.LITTLE_ENDIAN);
        pvd.put(0, (byte) 1).put(1, "CD001".getBytes(StandardCharsets.US_ASCII));
        pvd.putInt(80, 921).putShort(128, (short) 2048);
        Path file = Files.write(dir.resolve("a.iso"), image);
        assertEquals(921L * 2048, IsoVolume.bytes(file));
    }

    @Test
    void aDiskWithoutAVolumeDescriptorIsAnError() throws IOException {
        Path file = Files.write(dir.resolve("blank.img"), new byte[40 * 2048]);
        IOException e = assertThrows(IOException.class, () -> IsoVolume.bytes(file));
        assertTrue(e.getMessage().contains("no ISO 9660 primary volume descriptor"), e.getMessage());
    }
}
