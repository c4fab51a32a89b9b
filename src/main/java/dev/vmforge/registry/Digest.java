package dev.vmforge.registry;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as registries name blobs and manifests: {@code sha256:HEX} (or {@code sha512:HEX}).
 * Validated on construction, so a digest from a registry or a file can be used in a URL or a file name.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHA512 = Pattern.compile("[0-9a-f]{128}");

    public Digest {
        boolean valid = switch (algorithm) {
            case "sha256" -> SHA256.matcher(hex).matches();
            case "sha512" -> SHA512.matcher(hex).matches();
            default -> false;
        };
        if (!valid) {
            throw new IllegalArgumentException("not a sha256 or sha512 digest: " + algorithm + ":" + hex);
        }
    }

    /** Parses {@code sha256:HEX}; throws {@link IllegalArgumentException} for anything else. */
    public static Digest parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a digest (algorithm:hex): " + text);
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static boolean isDigest(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Digest sha256(byte[] bytes) {
        return new Digest("sha256", HexFormat.of().formatHex(messageDigest("sha256").digest(bytes)));
    }

    /** The SHA-256 of everything {@code in} holds; closes it. */
    public static Digest sha256(InputStream in) throws IOException {
        MessageDigest md = messageDigest("sha256");
        try (in) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return new Digest("sha256", HexFormat.of().formatHex(md.digest()));
    }

    /** A fresh hasher of this digest's algorithm, to check content against it while it streams by. */
    public MessageDigest newHasher() {
        return messageDigest(algorithm);
    }

    /** Whether {@code hasher} (from {@link #newHasher()}) saw exactly this digest's content. */
    public boolean matches(MessageDigest hasher) {
        return HexFormat.of().formatHex(hasher.digest()).equals(hex);
    }

    /** The first 12 hex digits, as docker and podman show blobs in their progress lines. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    private static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256 and SHA-512", e);
        }
    }
}
