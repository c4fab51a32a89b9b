package dev.vmforge.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a registry that drops connections in the middle of an upload: a
 * connection that has carried more than {@code cutAfter} bytes towards the registry is closed, for the next
 * {@code cuts} such connections. What a flaky network or a restarting load balancer does to a push.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final long cutAfter;
    private final AtomicInteger cutsLeft;
    private final AtomicInteger spared;
    private final AtomicInteger cutsMade = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cutting-proxy");
        t.setDaemon(true);
        return t;
    });

    CuttingProxy(int targetPort, long cutAfter, int cuts) throws IOException {
        this(targetPort, cutAfter, 0, cuts);
    }

    /** Lets the first {@code spared} connections that carry more than {@code cutAfter} bytes through. */
    CuttingProxy(int targetPort, long cutAfter, int spared, int cuts) throws IOException {
        this.spared = new AtomicInteger(spared);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.cutAfter = cutAfter;
        this.cutsLeft = new AtomicInteger(cuts);
        threads.submit(this::accept);
    }

    String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    int cutsMade() {
        return cutsMade.get();
    }

    private Void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                threads.submit(() -> pipe(client, server, true));
                threads.submit(() -> pipe(server, client, false));
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    private Void pipe(Socket from, Socket to, boolean upstream) {
        long carried = 0;
        boolean counted = false;
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                carried += n;
                if (upstream && carried > cutAfter && !counted) {
                    counted = true;
                    if (spared.getAndDecrement() <= 0 && cutsLeft.getAndDecrement() > 0) {
                        cutsMade.incrementAndGet();
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // the other direction closed the sockets
        } finally {
            close(from);
            close(to);
        }
        return null;
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}
