package dev.vmforge.store;

import dev.vmforge.Sha256;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The inputs a {@link Derivation} declares, encoded canonically: every field is written as a type tag, its
 * length-prefixed name and its length-prefixed value, so no two different sets of inputs encode alike (a value
 * holding {@code ", B=x"} cannot pass for a second field, as it could in a {@code toString()}). Files are
 * encoded by size and SHA-256, input derivations by their keys. The key is the SHA-256 of the encoding, which
 * starts with the derivation's name and the plugin's version.
 *
 * <p>A readable form of the same fields is kept beside ({@link #describe()}), for {@code -X} and for tests.
 */
public final class Inputs {
    private static final byte TEXT = 1;
    private static final byte NUMBER = 2;
    private static final byte FLAG = 3;
    private static final byte TEXTS = 4;
    private static final byte MAP = 5;
    private static final byte FILE = 6;
    private static final byte DIGEST = 7;
    private static final byte DERIVATION = 8;
    private static final byte LIST = 9;
    private static final byte ITEM_END = 10;
    private static final byte ABSENT = 11;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);
    private final StringBuilder description = new StringBuilder();
    private final Function<Derivation<?>, DerivationKey> keys;
    private String indent = "";

    /** @param keys gives the key of an input derivation */
    Inputs(String derivationName, String pluginVersion, Function<Derivation<?>, DerivationKey> keys) {
        this.keys = keys;
        text("derivation", derivationName);
        text("plugin", pluginVersion);
    }

    public Inputs text(String field, String value) {
        if (value == null) {
            return absent(field);
        }
        field(TEXT, field);
        string(value);
        return describe(field, value);
    }

    public Inputs number(String field, long value) {
        field(NUMBER, field);
        write(() -> out.writeLong(value));
        return describe(field, Long.toString(value));
    }

    public Inputs flag(String field, boolean value) {
        field(FLAG, field);
        write(() -> out.writeBoolean(value));
        return describe(field, Boolean.toString(value));
    }

    /** An enum constant, by its name. */
    public Inputs choice(String field, Enum<?> value) {
        return text(field, value == null ? null : value.name());
    }

    /** A list of words in order (arguments, package names). */
    public Inputs texts(String field, List<String> values) {
        field(TEXTS, field);
        write(() -> out.writeInt(values.size()));
        values.forEach(this::string);
        return describe(field, values.toString());
    }

    /** A map, in key order whatever the map's own order. */
    public Inputs map(String field, Map<String, String> values) {
        TreeMap<String, String> sorted = new TreeMap<>(values);
        field(MAP, field);
        write(() -> out.writeInt(sorted.size()));
        sorted.forEach((k, v) -> {
            string(k);
            string(v);
        });
        return describe(field, sorted.toString());
    }

    /** A host file (a project file, a jar), by its size and SHA-256. */
    public Inputs file(String field, Path file) {
        String sha256;
        long size;
        try {
            size = Files.size(file);
            sha256 = Sha256.ofFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ", an input of the build", e);
        }
        field(FILE, field);
        write(() -> out.writeLong(size));
        string(sha256);
        return describe(field, "file " + file.getFileName() + " " + size + " bytes sha256:" + sha256);
    }

    /** Content known by its SHA-256 (a .deb the verified index lists). */
    public Inputs digest(String field, String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(field + ": not a SHA-256: " + sha256);
        }
        field(DIGEST, field);
        string(sha256);
        return describe(field, "sha256:" + sha256);
    }

    /** Another derivation's output, by its key. */
    public Inputs derivation(String field, Derivation<?> input) {
        DerivationKey key = keys.apply(input);
        field(DERIVATION, field);
        string(key.hex());
        return describe(field, input.name() + " " + key.hex());
    }

    /** A list of records, each encoded by {@code each} between item markers. */
    public <T> Inputs list(String field, List<T> items, BiConsumer<Inputs, T> each) {
        field(LIST, field);
        write(() -> out.writeInt(items.size()));
        describe(field, items.size() + " item(s)");
        String outer = indent;
        indent = outer + "  ";
        for (T item : items) {
            each.accept(this, item);
            write(() -> out.writeByte(ITEM_END));
            description.append(indent).append("--\n");
        }
        indent = outer;
        return this;
    }

    /** The encoding's SHA-256. */
    DerivationKey key() {
        return new DerivationKey(Sha256.hex(bytes.toByteArray()));
    }

    /** One line per field, for {@code -X} and tests; not the encoding. */
    public String describe() {
        return description.toString();
    }

    private Inputs absent(String field) {
        field(ABSENT, field);
        return describe(field, "(none)");
    }

    private void field(byte type, String name) {
        write(() -> out.writeByte(type));
        string(name);
    }

    private void string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        write(() -> {
            out.writeInt(utf8.length);
            out.write(utf8);
        });
    }

    private Inputs describe(String field, String value) {
        description.append(indent).append(field).append(" = ").append(value.replace("\n", "\\n")).append('\n');
        return this;
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }
}
