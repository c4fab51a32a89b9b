package dev.vmforge.docker;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test utility: a tar (optionally gzipped) read back into headers and contents, in archive order. */
final class TarContents {
    final Map<String, TarArchiveEntry> headers = new LinkedHashMap<>();
    final Map<String, byte[]> contents = new LinkedHashMap<>();

    static TarContents read(Path file, boolean gzip) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(gzip ? new GzipCompressorInputStream(in) : in);
        }
    }

    static TarContents read(byte[] tar) throws IOException {
        return read(new ByteArrayInputStream(tar));
    }

    static TarContents readGzip(byte[] tarGz) throws IOException {
        return read(new GzipCompressorInputStream(new ByteArrayInputStream(tarGz)));
    }

    private static TarContents read(InputStream in) throws IOException {
        TarContents result = new TarContents();
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (result.headers.put(e.getName(), e) != null) {
                throw new AssertionError("duplicate tar entry " + e.getName());
            }
            result.contents.put(e.getName(), tar.readAllBytes());
        }
        return result;
    }

    byte[] bytes(String name) {
        byte[] b = contents.get(name);
        if (b == null) {
            throw new AssertionError("no entry " + name + " in " + contents.keySet());
        }
        return b;
    }

    String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
