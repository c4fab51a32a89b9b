package dev.vmforge.system;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .modinfo} section of a kernel module: NUL-separated {@code key=value} strings
 * ({@code depends=virtio,virtio_ring}, {@code softdep=pre: crc32c}, {@code alias=...}).
 * Debian's kernel packages do not ship {@code modules.dep} (depmod writes it at install time),
 * so dependencies are read from the modules themselves, as depmod does.
 */
record ModInfo(Map<String, List<String>> values) {

    List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    /** Modules this one needs loaded first ({@code depends=}, comma separated). */
    List<String> depends() {
        List<String> out = new ArrayList<>();
        for (String v : all("depends")) {
            for (String name : v.split(",")) {
                if (!name.isBlank()) {
                    out.add(name.trim());
                }
            }
        }
        return out;
    }

    /** Parses the ELF file of a (decompressed) module. */
    static ModInfo parse(byte[] elf, String nameForErrors) {
        if (elf.length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F') {
            throw new IllegalArgumentException(nameForErrors + " is not an ELF kernel module");
        }
        boolean is64 = elf[4] == 2;
        ByteBuffer b = ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long shoff = is64 ? b.getLong(0x28) : Integer.toUnsignedLong(b.getInt(0x20));
        int shentsize = Short.toUnsignedInt(b.getShort(is64 ? 0x3A : 0x2E));
        int shnum = Short.toUnsignedInt(b.getShort(is64 ? 0x3C : 0x30));
        int shstrndx = Short.toUnsignedInt(b.getShort(is64 ? 0x3E : 0x32));
        long[] names = new long[shnum];
        long[] offsets = new long[shnum];
        long[] sizes = new long[shnum];
        for (int i = 0; i < shnum; i++) {
            int h = Math.toIntExact(shoff + (long) i * shentsize);
            names[i] = Integer.toUnsignedLong(b.getInt(h));
            offsets[i] = is64 ? b.getLong(h + 0x18) : Integer.toUnsignedLong(b.getInt(h + 0x10));
            sizes[i] = is64 ? b.getLong(h + 0x20) : Integer.toUnsignedLong(b.getInt(h + 0x14));
        }
        for (int i = 0; i < shnum; i++) {
            String name = cString(elf, Math.toIntExact(offsets[shstrndx] + names[i]));
            if (name.equals(".modinfo")) {
                return parseStrings(elf, Math.toIntExact(offsets[i]), Math.toIntExact(sizes[i]));
            }
        }
        return new ModInfo(Map.of());
    }

    /** Parses NUL-separated {@code key=value} strings, as in a .modinfo section. */
    static ModInfo parseStrings(byte[] data, int offset, int length) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        int start = offset;
        for (int i = offset; i <= offset + length; i++) {
            if (i == offset + length || data[i] == 0) {
                if (i > start) {
                    String kv = new String(data, start, i - start, StandardCharsets.UTF_8);
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        values.computeIfAbsent(kv.substring(0, eq), k -> new ArrayList<>()).add(kv.substring(eq + 1));
                    }
                }
                start = i + 1;
            }
        }
        return new ModInfo(values);
    }

    private static String cString(byte[] data, int offset) {
        int end = offset;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
