package dev.vmforge.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a regular file in a {@link FileTree}: held in memory or read from a host file on demand. */
public interface Content {
    long size();

    InputStream open() throws IOException;

    /** Copies all bytes to {@code out}; in-memory content writes its array without an extra copy. */
    default void writeTo(OutputStream out) throws IOException {
        try (InputStream in = open()) {
            long copied = in.transferTo(out);
            if (copied != size()) {
                throw new IOException("content gave " + copied + " bytes where " + size() + " were expected");
            }
        }
    }

    /** All bytes, for small files (control files, configuration). */
    default byte[] readAllBytes() throws IOException {
        try (InputStream in = open()) {
            return in.readAllBytes();
        }
    }

    static Content of(byte[] bytes) {
        return new MemoryContent(bytes.clone());
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
