package dev.vmforge.docker;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) with a fixed header: no file name, mtime 0, OS "Unix", like {@code gzip -n}.
 * {@link java.util.zip.GZIPOutputStream} cannot take a level and uses a 512-byte buffer.
 *
 * <p>The compressed bytes depend on the level and on zlib, so the level is a constant of the
 * image format: changing it changes the digests of layer blobs (not the diff IDs).
 */
final class ReproducibleGzipOutputStream extends FilterOutputStream {
    /** zlib's default trade-off: several times faster than 9 for about 1 % larger output. Fixed forever. */
    static final int LEVEL = 6;

    private static final byte[] HEADER = {
        0x1f, (byte) 0x8b, // magic
        8,                 // deflate
        0,                 // flags: no name, no comment, no extra
        0, 0, 0, 0,        // mtime: none
        0,                 // extra flags: 0 for levels other than 1 and 9
        3,                 // OS: Unix
    };

    private final Deflater deflater = new Deflater(LEVEL, true);
    private final CRC32 crc = new CRC32();
    private final byte[] buffer = new byte[128 * 1024];
    private boolean finished;

    ReproducibleGzipOutputStream(OutputStream out) throws IOException {
        super(out);
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        crc.update(b, off, len);
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            drain();
        }
    }

    /** Writes the rest of the compressed data and the trailer; does not close the underlying stream. */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        deflater.finish();
        while (!deflater.finished()) {
            drain();
        }
        long size = deflater.getBytesRead();
        deflater.end();
        writeIntLe((int) crc.getValue());
        writeIntLe((int) size); // ISIZE is the size modulo 2^32
        out.flush();
    }

    @Override
    public void flush() throws IOException {
        out.flush(); // no sync flush: it would add bytes and change the output
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void drain() throws IOException {
        int n = deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH);
        if (n > 0) {
            out.write(buffer, 0, n);
        }
    }

    private void writeIntLe(int v) throws IOException {
        out.write(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }
}
