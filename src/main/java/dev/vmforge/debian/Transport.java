package dev.vmforge.debian;

import dev.vmforge.Sha256;

import dev.vmforge.BuildLog;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLException;

/**
 * Reads archive files over http(s) or from {@code file:} URIs (local mirrors, tests), within bounds: a connect
 * timeout, a read timeout (no bytes for that long), a size limit (what the index lists, or a cap), and a few
 * attempts with growing pauses for transient failures (refused or reset connections, timeouts, HTTP 5xx).
 * Error messages say what went wrong; callers name the file and add what the user can do ({@link #ADVICE}).
 */
final class Transport {
    /** What to try when the archive cannot be reached; callers append it to their messages. */
    static final String ADVICE = "Check the network and retry, or set another <distribution><mirror>; "
            + "with everything already in the cache, build offline (mvn -o).";

    /**
     * @param attempts     tries per file, the first included
     * @param firstBackoff pause before the second try; doubled before each next one
     */
    record Settings(Duration connectTimeout, Duration readTimeout, int attempts, Duration firstBackoff) {
        /** Like apt's defaults in spirit: patient with a slow mirror, bounded with a dead one. */
        static final Settings DEFAULT = new Settings(Duration.ofSeconds(30), Duration.ofSeconds(60), 3, Duration.ofSeconds(1));
    }

    /**
     * How many bytes a file may have: what an index lists, or a cap. A shorter file is the caller's to judge (it
     * checks size and SHA-256); a connection cut short fails in the HTTP client and is retried.
     */
    record Expected(long bytes, boolean listed) {
        static Expected listed(long bytes) {
            return new Expected(bytes, true);
        }

        static Expected atMost(long bytes) {
            return new Expected(bytes, false);
        }
    }

    /** What {@link #download} wrote. */
    record Download(long size, String sha256) {
    }

    /** The server or file system says the file does not exist. */
    static final class NotFoundException extends FileNotFoundException {
        NotFoundException(String message) {
            super(message);
        }
    }

    /** The server sent more than {@link Expected} allows; the transfer was cut off there. */
    static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** An HTTP status other than 200 and 404/410. */
    static final class HttpStatusException extends IOException {
        final int status;

        HttpStatusException(int status) {
            super("HTTP " + status);
            this.status = status;
        }
    }

    private final Settings settings;
    private final BuildLog log;
    private final HttpClient client;

    Transport(Settings settings, BuildLog log) {
        this.settings = settings;
        this.log = log;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The whole resource in memory (InRelease, indices). */
    byte[] get(URI uri, Expected expected, LongConsumer progress) throws IOException {
        ByteArrayOutputStream[] buffer = new ByteArrayOutputStream[1];
        withRetries(uri, expected, progress, () -> buffer[0] = new ByteArrayOutputStream());
        return buffer[0].toByteArray();
    }

    /** Streams the resource into {@code file} (rewritten by each attempt); returns its size and SHA-256. */
    Download download(URI uri, Path file, Expected expected, LongConsumer progress) throws IOException {
        MessageDigest[] digest = new MessageDigest[1];
        long size = withRetries(uri, expected, progress, () -> {
            digest[0] = Sha256.newDigest();
            return new DigestOutputStream(Files.newOutputStream(file), digest[0]);
        });
        return new Download(size, HexFormat.of().formatHex(digest[0].digest()));
    }

    private interface Sink {
        OutputStream open() throws IOException;
    }

    /** Copies the resource into a fresh sink per attempt; returns the byte count. */
    private long withRetries(URI uri, Expected expected, LongConsumer progress, Sink sink) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new IOException("unsupported URI scheme in " + uri + " (use http, https or file)");
        }
        boolean remote = !scheme.equals("file");
        int attempts = remote ? Math.max(1, settings.attempts()) : 1;
        Duration pause = settings.firstBackoff();
        for (int attempt = 1; ; attempt++) {
            long[] copied = {0};
            LongConsumer counting = n -> {
                copied[0] += n;
                progress.accept(n);
            };
            try (OutputStream out = sink.open()) {
                copyOnce(uri, out, expected, counting);
                return copied[0];
            } catch (IOException e) {
                progress.accept(-copied[0]); // the next attempt starts again from zero
                if (!isTransient(e)) {
                    throw e;
                }
                if (attempt >= attempts) {
                    throw new IOException(describe(e) + (attempts > 1 ? " (" + attempts + " attempts)" : ""), e);
                }
                log.warn("Download of " + uri + " failed (" + describe(e) + "); retrying in " + seconds(pause)
                        + " (attempt " + (attempt + 1) + " of " + attempts + ")");
                sleep(pause);
                pause = pause.multipliedBy(2);
            }
        }
    }

    private void copyOnce(URI uri, OutputStream out, Expected expected, LongConsumer progress) throws IOException {
        try (InputStream in = open(uri, expected)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            while (true) {
                // never more than one byte past the limit: enough to know the server sends too much
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, expected.bytes() - total + 1));
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > expected.bytes()) {
                    throw tooLarge(expected);
                }
                out.write(buffer, 0, n);
                progress.accept(n);
            }
        }
    }

    private InputStream open(URI uri, Expected expected) throws IOException {
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            try {
                return Files.newInputStream(Path.of(uri));
            } catch (NoSuchFileException e) {
                throw new NotFoundException("no such file");
            }
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.readTimeout())
                .header("User-Agent", "vm-maven-plugin").GET().build();
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + uri);
        }
        TimedBodyStream body = new TimedBodyStream(settings.readTimeout());
        response.body().subscribe(body);
        int status = response.statusCode();
        if (status != 200) {
            body.close();
            if (status == 404 || status == 410) {
                throw new NotFoundException("HTTP " + status);
            }
            throw new HttpStatusException(status);
        }
        long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced > expected.bytes()) {
            body.close();
            throw tooLarge(expected);
        }
        return body;
    }

    private static TooLargeException tooLarge(Expected expected) {
        return new TooLargeException("larger than the " + expected.bytes() + " bytes "
                + (expected.listed() ? "its index lists" : "allowed for it") + "; cut off");
    }

    /** Worth another attempt: the network or the server may do better in a moment. */
    private static boolean isTransient(IOException e) {
        if (e instanceof NotFoundException || e instanceof TooLargeException || e instanceof SSLException) {
            return false;
        }
        if (e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)
                || Thread.currentThread().isInterrupted()) {
            return false;
        }
        if (e instanceof HttpStatusException s) {
            return s.status >= 500 || s.status == 408 || s.status == 429;
        }
        return true; // refused or reset connections, timeouts, a transfer cut short
    }

    private String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + seconds(settings.connectTimeout());
        }
        if (e instanceof HttpTimeoutException) {
            return "no response within " + seconds(settings.readTimeout());
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof HttpStatusException s) {
            return "HTTP " + s.status;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void sleep(Duration pause) throws IOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
