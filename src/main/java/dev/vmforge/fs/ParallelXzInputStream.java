package dev.vmforge.fs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.SeekableInputStream;
import org.tukaani.xz.SeekableXZInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Decompresses an {@code .xz} file held in memory, decoding several of its blocks at once.
 *
 * <p>dpkg compresses large packages with threads, which cuts the stream into independent blocks of about
 * 24 MiB (the kernel has 5, the JRE 8); liblzma decodes them in parallel, xz-java alone does not. Here each
 * block gets its own {@link SeekableXZInputStream} (which checks the block's CRC and the index) on a worker
 * thread; the reader takes the blocks in order and may read a block's bytes while it is still being decoded,
 * so the tar parsing overlaps the decoding. Files of one block are read by a plain decoder.
 */
public final class ParallelXzInputStream extends InputStream {
    /**
     * At most this many decompressed bytes are held (at least one block). Not a block count: the first block
     * of a package is often the slowest (less compressible), and the others must not wait for it to be read.
     */
    private static final long MAX_BYTES_AHEAD = 128L << 20;
    /** Decoded bytes are handed to the reader in steps of this size. */
    private static final int STEP = 1 << 16;
    private static final ArrayCache CACHE = BasicArrayCache.getInstance();

    private final byte[] xz;
    private final SeekableXZInputStream index;
    private final ExecutorService workers;
    private final Deque<Block> decoding = new ArrayDeque<>();
    private int nextBlock;
    private long bytesAhead;
    private int position;

    private ParallelXzInputStream(byte[] xz, SeekableXZInputStream index, int threads) {
        this.xz = xz;
        this.index = index;
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "xz-block-decoder");
            t.setDaemon(true);
            return t;
        });
    }

    /** A stream of the decompressed bytes of {@code xz}, using up to {@code threads} threads. */
    public static InputStream open(byte[] xz, int threads) throws IOException {
        SeekableXZInputStream index = new SeekableXZInputStream(new InMemory(xz), CACHE);
        if (index.getBlockCount() < 2 || threads < 2) {
            index.close();
            return new XZInputStream(new ByteArrayInputStream(xz), -1, CACHE);
        }
        ParallelXzInputStream in = new ParallelXzInputStream(xz, index, Math.min(threads, index.getBlockCount()));
        in.startDecoding();
        return in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            Block block = decoding.peekFirst();
            if (block == null) {
                workers.shutdown(); // all decoded: let the threads end even if the reader never closes
                return -1;
            }
            int available = block.awaitBytesAfter(position);
            if (available > 0) {
                int n = Math.min(length, available);
                System.arraycopy(block.bytes, position, buffer, offset, n);
                position += n;
                return n;
            }
            decoding.removeFirst(); // decoded and checked to its end
            bytesAhead -= block.bytes.length;
            position = 0;
            startDecoding();
        }
    }

    @Override
    public void close() throws IOException {
        workers.shutdownNow();
        index.close();
    }

    /** Queues the next blocks while the memory budget allows; the pool decodes as many at once as it has threads. */
    private void startDecoding() throws IOException {
        int blocks = index.getBlockCount();
        while (nextBlock < blocks
                && (decoding.isEmpty() || bytesAhead + index.getBlockSize(nextBlock) <= MAX_BYTES_AHEAD)) {
            int number = nextBlock++;
            long size = index.getBlockSize(number);
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException("xz block " + number + " is too large to decode in memory (" + size + " bytes)");
            }
            Block block = new Block(new byte[(int) size]);
            bytesAhead += size;
            decoding.addLast(block);
            workers.execute(() -> decode(number, block));
        }
    }

    private void decode(int number, Block block) {
        try (SeekableXZInputStream in = new SeekableXZInputStream(new InMemory(xz), CACHE)) {
            in.seekToBlock(number);
            byte[] bytes = block.bytes;
            for (int n = 0; n < bytes.length; ) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // the reader closed the stream
                }
                int read = in.read(bytes, n, Math.min(STEP, bytes.length - n));
                if (read < 0) {
                    throw new IOException("xz block " + number + " is truncated");
                }
                n += read;
                block.decoded(n);
            }
            block.finished(null); // the decoder has checked the block's CRC on its last byte
        } catch (IOException e) {
            block.finished(e);
        } catch (RuntimeException e) {
            block.finished(new IOException("xz decompression failed: " + e, e));
        }
    }

    /** One block's decompressed bytes, filled by a worker while the reader takes what is there. */
    private static final class Block {
        final byte[] bytes;
        private int decoded;
        private boolean finished;
        private IOException failure;

        Block(byte[] bytes) {
            this.bytes = bytes;
        }

        synchronized void decoded(int count) {
            decoded = count;
            notifyAll();
        }

        synchronized void finished(IOException failure) {
            this.finished = true;
            this.failure = failure;
            notifyAll();
        }

        /**
         * Waits until bytes after {@code position} are decoded and returns how many; 0 once the block is
         * decoded, checked and read to its end.
         */
        synchronized int awaitBytesAfter(int position) throws IOException {
            try {
                while (decoded == position && !finished) {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while decompressing");
            }
            if (failure != null) {
                throw failure;
            }
            return decoded - position;
        }
    }

    /** The xz bytes as the seekable input xz-java's random-access decoder reads. */
    private static final class InMemory extends SeekableInputStream {
        private final byte[] bytes;
        private int position;

        InMemory(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= bytes.length) {
                return length == 0 ? 0 : -1;
            }
            int n = Math.min(length, bytes.length - position);
            System.arraycopy(bytes, position, buffer, offset, n);
            position += n;
            return n;
        }

        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long position) throws IOException {
            if (position < 0) {
                throw new IOException("negative seek position " + position);
            }
            this.position = (int) Math.min(position, bytes.length);
        }
    }
}
