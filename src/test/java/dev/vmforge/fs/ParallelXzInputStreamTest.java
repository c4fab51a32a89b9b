package dev.vmforge.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class ParallelXzInputStreamTest {
    /** Somewhat compressible bytes, so that blocks have real LZMA content. */
    private static byte[] sample(int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(42);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + random.nextInt(6) + (i / 4096) % 3);
        }
        return bytes;
    }

    /** xz with a block boundary after every {@code blockSize} bytes, as dpkg's threaded compression makes. */
    private static byte[] xz(byte[] data, int blockSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(1))) {
            for (int off = 0; off < data.length; off += blockSize) {
                xz.write(data, off, Math.min(blockSize, data.length - off));
                xz.endBlock();
            }
        }
        return out.toByteArray();
    }

    private static byte[] readAll(InputStream in, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[chunk];
        for (int n; (n = in.read(buffer)) != -1; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void decodesManyBlocksInOrder() throws IOException {
        byte[] data = sample(1_000_003);
        byte[] xz = xz(data, 65_536);
        try (InputStream in = ParallelXzInputStream.open(xz, 3)) {
            assertInstanceOf(ParallelXzInputStream.class, in);
            assertArrayEquals(data, readAll(in, 777)); // reads cross block boundaries
        }
    }

    @Test
    void singleByteReadsAndOneThreadGiveTheSameBytes() throws IOException {
        byte[] data = sample(200_000);
        byte[] xz = xz(data, 50_000);
        try (InputStream in = ParallelXzInputStream.open(xz, 2)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != -1; ) {
                out.write(b);
            }
            assertArrayEquals(data, out.toByteArray());
        }
        try (InputStream in = ParallelXzInputStream.open(xz, 1)) {
            assertFalse(in instanceof ParallelXzInputStream);
            assertArrayEquals(data, readAll(in, 4096));
        }
    }

    @Test
    void aSingleBlockFileIsReadByThePlainDecoder() throws IOException {
        byte[] data = sample(100_000);
        byte[] xz = xz(data, data.length);
        try (InputStream in = ParallelXzInputStream.open(xz, 4)) {
            assertFalse(in instanceof ParallelXzInputStream);
            assertArrayEquals(data, readAll(in, 4096));
        }
    }

    private static long decoderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("xz-block-decoder") && t.isAlive()).count();
    }

    /** Waits (bounded) for the decoder threads to end; thread exit is asynchronous to shutdown. */
    private static long decoderThreadsAfterTheyEnd() throws InterruptedException {
        for (int i = 0; i < 100 && decoderThreads() > 0; i++) {
            Thread.sleep(50);
        }
        return decoderThreads();
    }

    @Test
    void decoderThreadsEndAtTheEndOfTheDataAndOnClose() throws Exception {
        byte[] data = sample(600_000);
        byte[] xz = xz(data, 100_000);
        InputStream readToTheEnd = ParallelXzInputStream.open(xz, 2);
        readAll(readToTheEnd, 8192); // not closed
        assertEquals(0, decoderThreadsAfterTheyEnd());
        try (InputStream closedEarly = ParallelXzInputStream.open(xz, 2)) {
            closedEarly.read(new byte[10]);
        }
        assertEquals(0, decoderThreadsAfterTheyEnd());
    }

    @Test
    void aCorruptBlockFailsTheRead() throws IOException {
        byte[] data = sample(400_000);
        byte[] xz = xz(data, 100_000);
        byte[] corrupt = xz.clone();
        corrupt[corrupt.length / 2] ^= 0x55; // inside a middle block's compressed data
        assertThrows(IOException.class, () -> {
            try (InputStream in = ParallelXzInputStream.open(corrupt, 2)) {
                readAll(in, 8192);
            }
        });
    }

    @Test
    void aBadBlockChecksumFailsEvenWhenTheDataDecodes() throws IOException {
        byte[] data = sample(300_000);
        byte[] xz = xz(data, 100_000);
        // the last block's CRC64 sits just before the index; find it from the end: the stream footer is 12 bytes,
        // the index before it holds 3 records. Flip the byte right before the index indicator (0x00).
        int footer = xz.length - 12;
        int indexSize = ((xz[footer + 4] & 0xff) + 1) * 4; // Backward Size field, little-endian, low byte enough here
        int checkEnd = footer - indexSize;
        byte[] corrupt = xz.clone();
        corrupt[checkEnd - 1] ^= 0x01;
        IOException e = assertThrows(IOException.class, () -> {
            try (InputStream in = ParallelXzInputStream.open(corrupt, 2)) {
                readAll(in, 8192);
            }
        });
        assertInstanceOf(org.tukaani.xz.CorruptedInputException.class, e);
    }
}
