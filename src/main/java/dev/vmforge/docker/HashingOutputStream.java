package dev.vmforge.docker;

import dev.vmforge.Sha256;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Passes bytes through while computing their SHA-256 and counting them, so one pass yields both. */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest sha256 = Sha256.newDigest();
    private long count;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    /** Lower-case hex of the SHA-256 so far; call once, after the last write. */
    String hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
