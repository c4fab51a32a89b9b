package dev.vmforge.configure;

import dev.vmforge.BuildLog;
import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Gives the Java keystores that maintainer scripts write (Debian's {@code /etc/ssl/certs/java/cacerts}, which
 * ca-certificates-java converts to JKS on purpose) fixed entry dates. JKS records when each entry was added, to the
 * millisecond, so two configure runs never agree; nothing reads those dates to decide trust. The file is rewritten
 * entry by entry with the build's timestamp and its integrity digest recomputed, which needs its password: only
 * keystores whose digest checks with Debian's and the JDK's default ({@code changeit}) are rewritten; others are
 * left as they are, with a warning.
 */
public final class JavaKeystores {
    static final int MAGIC = 0xFEEDFEED;
    private static final int PRIVATE_KEY = 1;
    private static final int TRUSTED_CERTIFICATE = 2;
    private static final char[] DEFAULT_PASSWORD = "changeit".toCharArray();
    private static final int DIGEST_BYTES = 20;

    private JavaKeystores() {
    }

    /** Rewrites every JKS file of {@code tree} with entry dates {@code seconds}; returns the paths rewritten. */
    public static List<String> normalize(FileTree tree, long seconds, BuildLog log) throws IOException {
        List<String> rewritten = new ArrayList<>();
        for (FileEntry e : List.copyOf(tree.entries())) {
            if (e.type() != FileEntry.Type.FILE || e.content().size() < 12 + DIGEST_BYTES || !startsWithMagic(e)) {
                continue;
            }
            byte[] original = e.content().readAllBytes();
            Optional<byte[]> fixed = withDates(original, seconds * 1000, DEFAULT_PASSWORD);
            if (fixed.isEmpty()) {
                log.warn("/" + e.path() + " is a Java keystore whose entry dates differ from build to build; it is left"
                        + " as it is, since its password is not 'changeit' (the image will not be reproducible)");
            } else if (!Arrays.equals(fixed.get(), original)) {
                tree.add(new FileEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.mtime(), null, 0, 0,
                        Content.of(fixed.get())));
                rewritten.add(e.path());
            }
        }
        return rewritten;
    }

    private static boolean startsWithMagic(FileEntry e) throws IOException {
        try (InputStream in = e.content().open()) {
            return new DataInputStream(in).readInt() == MAGIC;
        }
    }

    /**
     * The JKS {@code keystore} with every entry's date set to {@code millis} and its digest recomputed, or empty when
     * it is not a JKS file this reads or its digest does not check with {@code password}.
     */
    static Optional<byte[]> withDates(byte[] keystore, long millis, char[] password) throws IOException {
        int body = keystore.length - DIGEST_BYTES;
        if (body < 12 || !Arrays.equals(digest(password, keystore, body), Arrays.copyOfRange(keystore, body, keystore.length))) {
            return Optional.empty();
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(keystore, 0, body));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(keystore.length);
        DataOutputStream out = new DataOutputStream(bytes);
        if (in.readInt() != MAGIC) {
            return Optional.empty();
        }
        int version = in.readInt();
        if (version != 1 && version != 2) {
            return Optional.empty();
        }
        int count = in.readInt();
        out.writeInt(MAGIC);
        out.writeInt(version);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            int tag = in.readInt();
            out.writeInt(tag);
            out.writeUTF(in.readUTF()); // alias
            in.readLong();
            out.writeLong(millis);
            if (tag == PRIVATE_KEY) {
                copyBlock(in, out);
                int chain = in.readInt();
                out.writeInt(chain);
                for (int c = 0; c < chain; c++) {
                    copyCertificate(in, out, version);
                }
            } else if (tag == TRUSTED_CERTIFICATE) {
                copyCertificate(in, out, version);
            } else {
                return Optional.empty();
            }
        }
        if (in.available() != 0) {
            return Optional.empty();
        }
        out.flush();
        byte[] entries = bytes.toByteArray();
        bytes.write(digest(password, entries, entries.length));
        return Optional.of(bytes.toByteArray());
    }

    private static void copyCertificate(DataInputStream in, DataOutputStream out, int version) throws IOException {
        if (version == 2) {
            out.writeUTF(in.readUTF()); // certificate type, "X.509"
        }
        copyBlock(in, out);
    }

    private static void copyBlock(DataInputStream in, DataOutputStream out) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a keystore entry claims " + length + " bytes");
        }
        out.writeInt(length);
        out.write(in.readNBytes(length));
    }

    /** JKS's integrity check: SHA-1 of the password (UTF-16BE), "Mighty Aphrodite" and the entries. */
    private static byte[] digest(char[] password, byte[] data, int length) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (char c : password) {
                sha1.update((byte) (c >> 8));
                sha1.update((byte) c);
            }
            sha1.update("Mighty Aphrodite".getBytes(StandardCharsets.UTF_8));
            sha1.update(data, 0, length);
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
