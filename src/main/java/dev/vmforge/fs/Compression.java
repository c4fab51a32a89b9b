package dev.vmforge.fs;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Compressing streams whose output depends only on the input and the level: a gzip header without
 * name or timestamp (as {@code gzip -n}), zstd single-threaded. (The compressed bytes still depend on
 * the zlib / zstd library version, as with any tool.) Closing the returned stream finishes the format
 * and closes {@code out}.
 */
public final class Compression {
    private Compression() {
    }

    /** gzip, {@code level} 1 (fast) to 9 (small); 6 is gzip's default. */
    public static OutputStream gzip(OutputStream out, int level) throws IOException {
        return new FixedHeaderGzip(out, level);
    }

    /** zstd frame, {@code level} 1 to 19 (3 is zstd's default). */
    public static OutputStream zstd(OutputStream out, int level) throws IOException {
        ZstdOutputStream zstd = new ZstdOutputStream(out, level);
        zstd.setWorkers(0);
        zstd.setChecksum(true);
        return zstd;
    }

    private static final class FixedHeaderGzip extends DeflaterOutputStream {
        /** Magic, deflate, no flags, mtime 0, no extra flags, OS unix: what {@code gzip -n} writes. */
        private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

        private final CRC32 crc = new CRC32();
        private boolean finished;

        FixedHeaderGzip(OutputStream out, int level) throws IOException {
            super(out, new Deflater(level, true), 1 << 16);
            out.write(HEADER);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            crc.update(b, off, len);
        }

        @Override
        public void finish() throws IOException {
            if (finished) {
                return;
            }
            finished = true;
            super.finish();
            writeLittleEndian((int) crc.getValue());
            writeLittleEndian((int) def.getBytesRead());
            def.end();
        }

        private void writeLittleEndian(int value) throws IOException {
            out.write(value & 0xff);
            out.write((value >>> 8) & 0xff);
            out.write((value >>> 16) & 0xff);
            out.write((value >>> 24) & 0xff);
        }
    }
}
