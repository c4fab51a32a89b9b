package dev.vmforge.debian;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads {@code Packages} index text, and writes/reads the compact binary form kept in the index
 * cache. The compact form holds only the fields of {@link BinaryPackage}, so a warm cache loads
 * bookworm's ~60k stanzas in a fraction of the time of parsing the 40+ MB text.
 */
final class PackagesIndex {
    private static final byte[] MAGIC = "vmforge-packages-1\n".getBytes(StandardCharsets.US_ASCII);

    // Field numbers in the compact form, in the order of BinaryPackage's components.
    private static final String[] FIELDS = {"package", "version", "architecture", "multi-arch", "priority",
        "essential", "pre-depends", "depends", "recommends", "conflicts", "breaks", "provides",
        "filename", "size", "sha256"};

    private PackagesIndex() {
    }

    /** Parses Packages text (UTF-8), skipping fields the resolver does not need. */
    static List<BinaryPackage> parseText(byte[] data, PackageSource source, String where) {
        List<BinaryPackage> result = new ArrayList<>(64 * 1024);
        String[] values = new String[FIELDS.length];
        int lastField = -1;
        int pos = 0;
        int n = data.length;
        while (pos <= n) {
            int end = pos;
            while (end < n && data[end] != '\n') {
                end++;
            }
            if (end == pos || pos == n) { // blank line or end of data: paragraph ends
                if (values[0] != null) {
                    result.add(toPackage(values, source, where));
                    values = new String[FIELDS.length];
                }
                lastField = -1;
            } else if (data[pos] == ' ' || data[pos] == '\t') {
                if (lastField >= 0) {
                    values[lastField] = values[lastField] + " " + new String(data, pos + 1, end - pos - 1, StandardCharsets.UTF_8).strip();
                }
            } else {
                lastField = fieldIndex(data, pos, end);
                if (lastField >= 0) {
                    int colon = pos;
                    while (data[colon] != ':') {
                        colon++;
                    }
                    values[lastField] = new String(data, colon + 1, end - colon - 1, StandardCharsets.UTF_8).strip();
                }
            }
            pos = end + 1;
        }
        return result;
    }

    /** Index in FIELDS of the field named at the start of the line, or -1. Case-insensitive. */
    private static int fieldIndex(byte[] data, int start, int end) {
        int colon = start;
        while (colon < end && data[colon] != ':') {
            colon++;
        }
        int len = colon - start;
        outer:
        for (int f = 0; f < FIELDS.length; f++) {
            String name = FIELDS[f];
            if (name.length() != len) {
                continue;
            }
            for (int k = 0; k < len; k++) {
                int c = data[start + k];
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != name.charAt(k)) {
                    continue outer;
                }
            }
            return f;
        }
        return -1;
    }

    private static BinaryPackage toPackage(String[] v, PackageSource source, String where) {
        if (v[1] == null || v[2] == null || v[12] == null || v[14] == null || v[13] == null) {
            throw new IllegalArgumentException(where + ": stanza of package '" + v[0]
                    + "' lacks Version, Architecture, Filename, Size or SHA256");
        }
        return new BinaryPackage(v[0], DebianVersion.parse(v[1]), v[2], orEmpty(v[3]), orEmpty(v[4]),
                "yes".equalsIgnoreCase(v[5]), orEmpty(v[6]), orEmpty(v[7]), orEmpty(v[8]), orEmpty(v[9]),
                orEmpty(v[10]), orEmpty(v[11]), v[12], Long.parseLong(v[13]), v[14], source);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The compact form: magic, then per package 15 length-prefixed UTF-8 strings (size as text). */
    static byte[] writeCompact(List<BinaryPackage> packages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(packages.size() * 300);
        out.writeBytes(MAGIC);
        for (BinaryPackage p : packages) {
            String[] v = {p.name(), p.version().toString(), p.architecture(), p.multiArch(), p.priority(),
                p.essential() ? "yes" : "", p.preDepends(), p.depends(), p.recommends(), p.conflicts(),
                p.breaks(), p.provides(), p.filename(), Long.toString(p.size()), p.sha256()};
            for (String s : v) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                writeVarInt(out, b.length);
                out.writeBytes(b);
            }
        }
        return out.toByteArray();
    }

    static List<BinaryPackage> readCompact(byte[] data, PackageSource source) throws IOException {
        return scanCompact(data, source, null);
    }

    /**
     * The packages of a compact index whose name is in {@code names} (all when null). Skipping the others
     * without decoding them makes checking a few hundred names against bookworm's index take milliseconds.
     */
    static List<BinaryPackage> scanCompact(byte[] data, PackageSource source, Set<String> names) throws IOException {
        for (int i = 0; i < MAGIC.length; i++) {
            if (data.length < MAGIC.length || data[i] != MAGIC[i]) {
                throw new IOException("not a compact package index");
            }
        }
        List<BinaryPackage> result = new ArrayList<>(names == null ? 64 * 1024 : names.size());
        int[] pos = {MAGIC.length};
        String[] v = new String[FIELDS.length];
        while (pos[0] < data.length) {
            v[0] = readString(data, pos);
            boolean wanted = names == null || names.contains(v[0]);
            for (int f = 1; f < FIELDS.length; f++) {
                if (wanted) {
                    v[f] = readString(data, pos);
                } else {
                    int len = readVarInt(data, pos);
                    if (len < 0 || pos[0] + len > data.length) {
                        throw new IOException("truncated compact package index");
                    }
                    pos[0] += len;
                }
            }
            if (wanted) {
                result.add(new BinaryPackage(v[0], DebianVersion.parse(v[1]), v[2], v[3], v[4], !v[5].isEmpty(),
                        v[6], v[7], v[8], v[9], v[10], v[11], v[12], Long.parseLong(v[13]), v[14], source));
            }
        }
        return result;
    }

    private static String readString(byte[] data, int[] pos) throws IOException {
        int len = readVarInt(data, pos);
        if (len < 0 || pos[0] + len > data.length) {
            throw new IOException("truncated compact package index");
        }
        String s = len == 0 ? "" : new String(data, pos[0], len, StandardCharsets.UTF_8);
        pos[0] += len;
        return s;
    }

    private static void writeVarInt(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    private static int readVarInt(byte[] data, int[] pos) throws IOException {
        int value = 0;
        int shift = 0;
        while (true) {
            if (pos[0] >= data.length || shift > 28) {
                throw new IOException("truncated compact package index");
            }
            int b = data[pos[0]++];
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
        }
    }
}
