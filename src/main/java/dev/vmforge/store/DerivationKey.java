package dev.vmforge.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a derivation's output: SHA-256 over the plugin version, the step's name and
 * parameters, and its inputs' keys or contents. Equal keys mean "same output", so a derivation
 * whose key already has an output in the store is not run again.
 */
public record DerivationKey(String hex) {

    public DerivationKey {
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256: " + hex);
        }
    }

    /** Short form used in store file names. */
    public String shortHex() {
        return hex.substring(0, 32);
    }

    /** Deterministic 16 bytes derived from this key, e.g. for file system UUIDs. */
    public byte[] seed(String purpose) {
        return builder("seed").add("purpose", purpose).add("key", hex).build().bytes16();
    }

    private byte[] bytes16() {
        return java.util.Arrays.copyOf(HexFormat.of().parseHex(hex), 16);
    }

    @Override
    public String toString() {
        return hex;
    }

    public static Builder builder(String stepName) {
        return new Builder().add("step", stepName).add("plugin", PluginVersion.get());
    }

    /**
     * Accumulates named inputs. Each value is length-prefixed so that ("ab","c") and ("a","bc") differ.
     */
    public static final class Builder {
        private final MessageDigest digest;

        private Builder() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public Builder add(String name, String value) {
            field(name);
            bytes(value == null ? new byte[] {0} : ("=" + value).getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public Builder add(String name, Object value) {
            return add(name, value == null ? null : value.toString());
        }

        public Builder add(String name, DerivationKey input) {
            return add(name, input.hex());
        }

        /** Adds a host file's bytes (a project file copied into the system, say). */
        public Builder addFile(String name, Path file) {
            field(name);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[65536];
                long total = 0;
                for (int n; (n = in.read(buffer)) > 0; total += n) {
                    digest.update(buffer, 0, n);
                }
                bytes(Long.toString(total).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + file, e);
            }
            return this;
        }

        public DerivationKey build() {
            return new DerivationKey(HexFormat.of().formatHex(digest.digest()));
        }

        private void field(String name) {
            bytes(name.getBytes(StandardCharsets.UTF_8));
        }

        private void bytes(byte[] value) {
            digest.update(java.nio.ByteBuffer.allocate(4).putInt(value.length).array());
            digest.update(value);
        }
    }
}
