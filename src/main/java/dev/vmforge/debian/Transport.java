package dev.vmforge.debian;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongConsumer;

/** Reads archive files over http(s) or from {@code file:} URIs (local mirrors, tests). */
final class Transport {
    /** The server or file system says the file does not exist. */
    static final class NotFoundException extends FileNotFoundException {
        NotFoundException(String message) {
            super(message);
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    byte[] get(URI uri) throws IOException {
        try (InputStream in = open(uri)) {
            return in.readAllBytes();
        }
    }

    /** Copies the resource into {@code out}, reporting each chunk's size. */
    void copy(URI uri, OutputStream out, LongConsumer progress) throws IOException {
        try (InputStream in = open(uri)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                progress.accept(n);
            }
        }
    }

    private InputStream open(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (scheme.equals("file")) {
            try {
                return Files.newInputStream(Path.of(uri));
            } catch (NoSuchFileException e) {
                throw new NotFoundException(uri + " does not exist");
            }
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported URI scheme in " + uri + " (use http, https or file)");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .header("User-Agent", "vm-maven-plugin").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + uri, e);
        }
        int status = response.statusCode();
        if (status != 200) {
            response.body().close();
            if (status == 404 || status == 410) {
                throw new NotFoundException(uri + ": HTTP " + status);
            }
            throw new IOException(uri + ": HTTP " + status);
        }
        return response.body();
    }
}
