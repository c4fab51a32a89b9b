package dev.vmforge.vm;

import dev.vmforge.BuildException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the dynamic loader reads from an x86-64 executable or shared library: the libraries it
 * needs ({@code DT_NEEDED}), its own {@code DT_SONAME}, and the loader it asks for
 * ({@code PT_INTERP}). Enough to copy a tool with its libraries into an initramfs without running
 * {@code ldd} (which would execute downloaded code on the host).
 */
public record ElfDynamicInfo(List<String> needed, Optional<String> soname, Optional<String> interpreter) {

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    private static final long DT_SONAME = 14;

    public ElfDynamicInfo {
        needed = List.copyOf(needed);
    }

    /** True when the bytes start with the ELF magic number. */
    public static boolean isElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }

    /**
     * Reads a 64-bit little-endian ELF file. A static executable gives no needed libraries.
     *
     * @param name used in error messages
     * @throws BuildException when the file is not a well-formed 64-bit little-endian ELF file
     */
    public static ElfDynamicInfo read(String name, byte[] bytes) {
        if (!isElf(bytes)) {
            throw malformed(name, "no ELF magic number");
        }
        if (bytes.length < 64 || bytes[4] != 2 || bytes[5] != 1) {
            throw malformed(name, "not a 64-bit little-endian ELF file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            long phoff = b.getLong(0x20);
            int phentsize = Short.toUnsignedInt(b.getShort(0x36));
            int phnum = Short.toUnsignedInt(b.getShort(0x38));
            List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
            long dynOffset = -1;
            long dynSize = 0;
            String interpreter = null;
            for (int i = 0; i < phnum; i++) {
                int ph = Math.toIntExact(phoff + (long) i * phentsize);
                int type = b.getInt(ph);
                long offset = b.getLong(ph + 8);
                long vaddr = b.getLong(ph + 16);
                long filesz = b.getLong(ph + 32);
                if (type == PT_LOAD) {
                    loads.add(new long[] {vaddr, offset, filesz});
                } else if (type == PT_DYNAMIC) {
                    dynOffset = offset;
                    dynSize = filesz;
                } else if (type == PT_INTERP) {
                    interpreter = cString(bytes, Math.toIntExact(offset));
                }
            }
            if (dynOffset < 0) {
                return new ElfDynamicInfo(List.of(), Optional.empty(), Optional.ofNullable(interpreter));
            }
            List<Long> neededOffsets = new ArrayList<>();
            long sonameOffset = -1;
            long strtabAddress = -1;
            for (long at = dynOffset; at + 16 <= dynOffset + dynSize; at += 16) {
                long tag = b.getLong(Math.toIntExact(at));
                long value = b.getLong(Math.toIntExact(at + 8));
                if (tag == DT_NULL) {
                    break;
                } else if (tag == DT_NEEDED) {
                    neededOffsets.add(value);
                } else if (tag == DT_STRTAB) {
                    strtabAddress = value;
                } else if (tag == DT_SONAME) {
                    sonameOffset = value;
                }
            }
            if (strtabAddress < 0) {
                throw malformed(name, "dynamic section without a string table");
            }
            long strtab = fileOffset(name, loads, strtabAddress);
            List<String> needed = new ArrayList<>();
            for (long offset : neededOffsets) {
                needed.add(cString(bytes, Math.toIntExact(strtab + offset)));
            }
            Optional<String> soname = sonameOffset < 0 ? Optional.empty()
                    : Optional.of(cString(bytes, Math.toIntExact(strtab + sonameOffset)));
            return new ElfDynamicInfo(needed, soname, Optional.ofNullable(interpreter));
        } catch (IndexOutOfBoundsException | ArithmeticException e) {
            throw malformed(name, "a header points outside the file");
        }
    }

    /** Maps a virtual address to a file offset through the PT_LOAD segment that contains it. */
    private static long fileOffset(String name, List<long[]> loads, long address) {
        for (long[] load : loads) {
            if (address >= load[0] && address < load[0] + load[2]) {
                return address - load[0] + load[1];
            }
        }
        throw malformed(name, "string table address 0x" + Long.toHexString(address) + " is in no loaded segment");
    }

    private static String cString(byte[] bytes, int start) {
        int end = start;
        while (bytes[end] != 0) {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    private static BuildException malformed(String name, String reason) {
        return new BuildException(name + " is not a usable x86-64 ELF file: " + reason);
    }
}
