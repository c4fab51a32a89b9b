package dev.vmforge.fs;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.IOException;

/** Content held in a byte array this object owns (never handed out), so readers need not copy it. */
final class MemoryContent implements Content {
    private final byte[] bytes;

    /** Takes ownership of {@code bytes}: the caller must not change them afterwards. */
    MemoryContent(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public InputStream open() {
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    @Override
    public byte[] readAllBytes() {
        return bytes.clone();
    }
}
