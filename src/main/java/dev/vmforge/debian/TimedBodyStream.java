package dev.vmforge.debian;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP response body (subscribed to {@code HttpResponse.BodyHandlers.ofPublisher()}) read as a stream
 * whose reads give up when no bytes arrive for the read timeout. {@code java.net.http} bounds only the wait
 * for the headers; a server that stalls after them would block {@code ofInputStream()} forever.
 * One buffer list is requested at a time, so a fast server cannot fill the memory.
 */
final class TimedBodyStream extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Duration timeout;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private Iterator<ByteBuffer> buffers = Collections.emptyIterator();
    private ByteBuffer current;
    private boolean finished;

    TimedBodyStream(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable error) {
        queue.add(error);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    @SuppressWarnings("unchecked")
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (current == null || !current.hasRemaining()) {
            if (buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            if (finished) {
                return -1;
            }
            if (closed) {
                throw new IOException("response body closed");
            }
            Object next;
            try {
                next = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new InterruptedIOException("interrupted while downloading");
            }
            if (next == null) {
                close();
                throw new SocketTimeoutException("no data received for " + Transport.seconds(timeout));
            }
            if (next == END) {
                finished = true;
                return -1;
            }
            if (next instanceof Throwable error) {
                finished = true;
                throw new IOException(error.getMessage() == null ? error.toString() : error.getMessage(), error);
            }
            buffers = ((List<ByteBuffer>) next).iterator();
            subscription.request(1);
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    /** Cancels the transfer: the client closes (or reuses) the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        queue.clear();
    }
}
