package dev.vmforge.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches a blob and checks it while it streams in: never more bytes than expected, and the digest of what
 * arrived must be the one asked for, or nothing is kept. A file appears under its final name only when
 * complete and verified. A download that receives nothing for the stall time is abandoned (and retried).
 */
final class BlobDownloader {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-download-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final RegistryTransport transport;
    private final Retry retry;
    private final String repository;
    private final Set<AccessScope> scopes;

    BlobDownloader(RegistryTransport transport, String repository, Set<AccessScope> scopes) {
        this.transport = transport;
        this.retry = new Retry(transport.registry(), transport.options());
        this.repository = repository;
        this.scopes = scopes;
    }

    /** Downloads {@code digest} ({@code size} bytes, or -1 if unknown) to {@code target}, replacing it. */
    void toFile(Digest digest, long size, Path target) {
        Path absolute = target.toAbsolutePath();
        retry.run("downloading " + digest.shortHex() + " from " + repository, attempt -> {
            Files.createDirectories(absolute.getParent());
            Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".part");
            try {
                try (OutputStream out = Files.newOutputStream(temp)) {
                    fetch(digest, size, size >= 0 ? size : Long.MAX_VALUE, out);
                }
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return null;
            } finally {
                Files.deleteIfExists(temp);
            }
        });
    }

    /** The verified content of a small blob (a config, a signature), refused above {@code maxSize} bytes. */
    byte[] toBytes(Digest digest, long maxSize) {
        return retry.run("downloading " + digest.shortHex() + " from " + repository, attempt -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fetch(digest, -1, maxSize, out);
            return out.toByteArray();
        });
    }

    /** Streams the blob into {@code out}, verified: {@code size} bytes exactly (-1: unknown), at most {@code limit}. */
    private void fetch(Digest digest, long size, long limit, OutputStream out) throws IOException {
        HttpResponse<InputStream> response = transport.open(transport.call("GET",
                transport.endpoint().api(repository + "/blobs/" + digest), scopes));
        if (response.statusCode() != 200) {
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(64 * 1024);
            }
            throw transport.failure(new RegistryResponse(response.statusCode(), response.headers(), body,
                    response.uri()), repository, scopes.stream().anyMatch(AccessScope::push), "downloading " + digest);
        }
        TransferProgress progress = new TransferProgress(transport.options().log(), "downloading "
                + digest.shortHex(), size >= 0 ? size : 0);
        MessageDigest hasher = digest.newHasher();
        AtomicLong received = new AtomicLong();
        AtomicBoolean stalled = new AtomicBoolean();
        long stallMillis = transport.options().stallTimeout().toMillis();
        try (InputStream in = response.body()) {
            long[] seen = {0};
            ScheduledFuture<?> watchdog = WATCHDOG.scheduleAtFixedRate(() -> {
                long now = received.get();
                if (now == seen[0]) {
                    stalled.set(true);
                    try {
                        in.close(); // wakes the reading thread: the JDK's body stream then ends
                    } catch (IOException ignored) {
                        // the read fails or ends either way
                    }
                }
                seen[0] = now;
            }, stallMillis, stallMillis, TimeUnit.MILLISECONDS);
            try {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (received.addAndGet(n) > limit) {
                        throw new RegistryException("Registry " + transport.registry() + " sent more than "
                                + limit + " bytes for " + digest + " in " + repository + "; refused");
                    }
                    hasher.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    progress.advance(n);
                }
            } finally {
                watchdog.cancel(false);
            }
        } catch (IOException e) {
            if (stalled.get()) {
                throw new IOException("no data for " + seconds(stallMillis), e);
            }
            throw e;
        }
        if (stalled.get()) {
            throw new IOException("no data for " + seconds(stallMillis));
        }
        if (size >= 0 && received.get() != size) {
            throw new IOException("the download of " + digest + " ended after " + received.get() + " of " + size
                    + " bytes");
        }
        if (!digest.matches(hasher)) {
            throw new RegistryException("Registry " + transport.registry() + " sent content for " + digest + " in "
                    + repository + " that does not match that digest; it was refused and not kept");
        }
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
