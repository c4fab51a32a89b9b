package dev.vmforge.vm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes minimal x86-64 ELF files: one PT_LOAD over the whole file at a non-zero address, PT_INTERP, PT_DYNAMIC. */
final class ElfFixture {
    static final long BASE = 0x400000;

    private ElfFixture() {
    }

    /** @param interpreter null for none; @param needed empty and soname null give no dynamic section */
    static byte[] elf(String interpreter, String soname, List<String> needed) {
        boolean dynamic = soname != null || !needed.isEmpty();
        int phnum = 1 + (interpreter != null ? 1 : 0) + (dynamic ? 1 : 0);
        int phoff = 64;
        int interpOff = phoff + phnum * 56;
        byte[] interp = interpreter == null ? new byte[0] : (interpreter + "\0").getBytes(StandardCharsets.UTF_8);
        int strtabOff = interpOff + interp.length;
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        int[] neededAt = new int[needed.size()];
        for (int i = 0; i < needed.size(); i++) {
            neededAt[i] = strtab.size();
            strtab.writeBytes((needed.get(i) + "\0").getBytes(StandardCharsets.UTF_8));
        }
        int sonameAt = strtab.size();
        if (soname != null) {
            strtab.writeBytes((soname + "\0").getBytes(StandardCharsets.UTF_8));
        }
        int dynOff = (strtabOff + strtab.size() + 7) & ~7;
        int dynEntries = needed.size() + (soname != null ? 1 : 0) + 2; // + DT_STRTAB + DT_NULL
        int size = dynOff + (dynamic ? dynEntries * 16 : 0);
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 3); // ET_DYN
        b.putShort(18, (short) 62); // EM_X86_64
        b.putLong(0x20, phoff);
        b.putShort(0x34, (short) 64);
        b.putShort(0x36, (short) 56);
        b.putShort(0x38, (short) phnum);
        int ph = phoff;
        ph = programHeader(b, ph, 1, 0, BASE, size);
        if (interpreter != null) {
            ph = programHeader(b, ph, 3, interpOff, BASE + interpOff, interp.length);
            b.put(interpOff, interp);
        }
        if (dynamic) {
            programHeader(b, ph, 2, dynOff, BASE + dynOff, dynEntries * 16L);
            b.put(strtabOff, strtab.toByteArray());
            int at = dynOff;
            for (int offset : neededAt) {
                b.putLong(at, 1).putLong(at + 8, offset);
                at += 16;
            }
            if (soname != null) {
                b.putLong(at, 14).putLong(at + 8, sonameAt);
                at += 16;
            }
            b.putLong(at, 5).putLong(at + 8, BASE + strtabOff);
        }
        return b.array();
    }

    private static int programHeader(ByteBuffer b, int at, int type, long offset, long vaddr, long filesz) {
        b.putInt(at, type);
        b.putLong(at + 8, offset);
        b.putLong(at + 16, vaddr);
        b.putLong(at + 24, vaddr);
        b.putLong(at + 32, filesz);
        b.putLong(at + 40, filesz);
        return at + 56;
    }
}
