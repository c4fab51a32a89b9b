package dev.vmforge.vm;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * A 64 KiB x86 firmware image that does what breaks on a broken hypervisor, and nothing else: from the reset
 * vector it leaves real mode, enters 32-bit protected mode, turns on paging and long mode, and then exits QEMU
 * through the {@code isa-debug-exit} device. It prints {@code R}, {@code P}, {@code L} on the first serial port
 * as it passes each stage, so a failed probe shows how far it got.
 *
 * <p>Why this and not a kernel: it needs no download, runs in milliseconds, and on nested-virtualization hosts
 * where {@code /dev/kvm} exists but guests hang, it hangs at the same place Linux does (the switch to protected
 * mode), which a real-mode-only boot sector would not reveal.
 *
 * <p>Run it with {@code -machine pc -bios FILE -device isa-debug-exit,iobase=0xf4,iosize=0x04}; QEMU then exits
 * with status {@link #SUCCESS_EXIT_STATUS}. The bytes were assembled from the listing in the comments
 * (GNU as, linked at 0xF0000, the BIOS alias below 1 MiB where the reset vector's far jump lands).
 */
public final class ProbeFirmware {
    /** isa-debug-exit makes QEMU exit with {@code (value << 1) | 1}; the firmware writes 0x31. */
    public static final int SUCCESS_EXIT_STATUS = (0x31 << 1) | 1;
    /** What the serial port shows when every stage ran. */
    static final String SUCCESS_MARKER = "RPL";
    static final int SIZE = 64 * 1024;

    private static final String[] CODE = {
            // .code16, at F000:0000 (linear 0xF0000)
            "fa",                           // cli
            "bafd03", "ec", "a820", "74f8",  // 1: mov $0x3fd,%dx; in %dx,%al; test $0x20,%al; jz 1b (wait for THR empty)
            "baf803", "b052", "ee",         // mov $0x3f8,%dx; mov $'R',%al; out %al,%dx
            "2e660f0116d800",               // lgdtl %cs:0xd8 (the GDT descriptor below)
            "0f20c0", "0c01", "0f22c0",     // mov %cr0,%eax; or $1,%al; mov %eax,%cr0 (protected mode on)
            "66ea26000f000800",             // ljmpl $0x08,$0xf0026 (32-bit code segment)
            // .code32, at 0xF0026
            "66b81000", "8ed8", "8ec0", "8ed0",          // mov $0x10,%ax; mov %ax,%ds/%es/%ss (flat data)
            "66bafd03", "ec", "a820", "74f7",            // wait for THR empty
            "66baf803", "b050", "ee",                    // out 'P'
            "bf00100000", "31c0", "b9000c0000", "f3ab",  // zero 12 KiB at 0x1000 (PML4, PDPT, PD)
            "c7050010000003200000",                      // movl $0x2003,0x1000 (PML4[0] -> PDPT)
            "c7050020000003300000",                      // movl $0x3003,0x2000 (PDPT[0] -> PD)
            "c7050030000083000000",                      // movl $0x83,0x3000 (PD[0]: 2 MiB identity page)
            "b800100000", "0f22d8",                      // mov $0x1000,%eax; mov %eax,%cr3
            "0f20e0", "83c820", "0f22e0",                // cr4 |= PAE
            "b9800000c0", "0f32", "0d00010000", "0f30",  // EFER (MSR 0xC0000080) |= LME
            "0f20c0", "0d00000080", "0f22c0",            // cr0 |= PG (long mode active)
            "ea9d000f001800",                            // ljmp $0x18,$0xf009d (64-bit code segment)
            // .code64, at 0xF009D
            "66bafd03", "ec", "a820", "74f7",            // wait for THR empty
            "66baf803", "b04c", "ee",                    // out 'L'
            "b031", "e6f4",                              // mov $0x31,%al; out %al,$0xf4 (isa-debug-exit)
            "f4", "ebfd",                                // 1: hlt; jmp 1b
            "0f1f4000",                                  // padding to the 8-byte aligned GDT at 0xF00B8
            // GDT at 0xF00B8: null, code32, data, code64
            "0000000000000000", "ffff0000009acf00", "ffff00000092cf00", "ffff0000009aaf00",
            // GDT descriptor at 0xF00D8: limit 31, base 0x000F00B8
            "1f00", "b8000f00",
    };
    /** At the reset vector (0xFFFFFFF0 = offset 0xFFF0): ljmp $0xf000,$0x0000, to the code above. */
    private static final String RESET_VECTOR = "ea0000" + "00f0";

    private ProbeFirmware() {
    }

    public static byte[] image() {
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        HexFormat hex = HexFormat.of();
        for (String instruction : CODE) {
            code.writeBytes(hex.parseHex(instruction));
        }
        byte[] image = new byte[SIZE];
        java.util.Arrays.fill(image, (byte) 0xF4); // hlt everywhere else
        byte[] body = code.toByteArray();
        System.arraycopy(body, 0, image, 0, body.length);
        byte[] reset = hex.parseHex(RESET_VECTOR);
        System.arraycopy(reset, 0, image, 0xFFF0, reset.length);
        return image;
    }
}
