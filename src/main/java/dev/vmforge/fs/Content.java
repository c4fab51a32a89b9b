package dev.vmforge.fs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a regular file in a {@link FileTree}: held in memory or read from a host file on demand. */
public interface Content {
    long size();

    InputStream open() throws IOException;

    static Content of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new Content() {
            @Override public long size() { return copy.length; }
            @Override public InputStream open() { return new ByteArrayInputStream(copy); }
        };
    }

    static Content of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A host file read when written out; its size is taken now so a later change is detected as an error. */
    static Content ofFile(Path file) throws IOException {
        long size = Files.size(file);
        return new Content() {
            @Override public long size() { return size; }
            @Override public InputStream open() throws IOException {
                if (Files.size(file) != size) {
                    throw new IOException(file + " changed while the build was reading it");
                }
                return Files.newInputStream(file);
            }
        };
    }

    Content EMPTY = of(new byte[0]);
}
