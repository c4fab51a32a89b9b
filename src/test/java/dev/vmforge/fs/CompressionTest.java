package dev.vmforge.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CompressionTest {
    private static final byte[] DATA = "initramfs contents ".repeat(10_000).getBytes();

    @Test
    void gzipHasAFixedHeaderAndDecompressesToTheInput() throws Exception {
        byte[] gz = compress(true);
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, Arrays.copyOf(gz, 10));
        assertArrayEquals(DATA, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes());
        assertArrayEquals(gz, compress(true));
    }

    @Test
    void zstdDecompressesToTheInputAndIsRepeatable() throws Exception {
        byte[] zst = compress(false);
        assertArrayEquals(DATA, new ZstdInputStream(new ByteArrayInputStream(zst)).readAllBytes());
        assertArrayEquals(zst, compress(false));
    }

    private static byte[] compress(boolean gzip) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = gzip ? Compression.gzip(bytes, 6) : Compression.zstd(bytes, 3)) {
            out.write(DATA, 0, 7);
            out.write(DATA, 7, DATA.length - 7);
        }
        return bytes.toByteArray();
    }
}
