package dev.vmforge.vm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-assembled probe firmware is self-consistent: jumps and the GDT descriptor point where they must. */
class ProbeFirmwareTest {
    private final byte[] image = ProbeFirmware.image();

    private int u16(int offset) {
        return (image[offset] & 0xFF) | (image[offset + 1] & 0xFF) << 8;
    }

    private long u32(int offset) {
        return u16(offset) | (long) u16(offset + 2) << 16;
    }

    @Test
    void isA64KiBRomWhoseResetVectorJumpsToTheCodeBelow1MiB() {
        assertEquals(65536, image.length);
        assertEquals(0xEA, image[0xFFF0] & 0xFF, "far jmp at the reset vector");
        assertEquals(0x0000, u16(0xFFF1));
        assertEquals(0xF000, u16(0xFFF3));
        assertEquals(0xFA, image[0] & 0xFF, "cli first");
    }

    @Test
    void gdtDescriptorAndFarJumpsLandOnTheRightCode() {
        int lgdtOperand = u16(0x14); // 2e 66 0f 01 16 <disp16> at 0x0f
        assertEquals(0xD8, lgdtOperand);
        assertEquals(31, u16(0xD8), "GDT limit: four descriptors");
        long gdtBase = u32(0xDA);
        assertEquals(0xF00B8L, gdtBase);
        assertEquals(0L, u32(0xB8) | u32(0xBC), "null descriptor first");
        assertEquals(0x00CF9A00L, u32(0xC4), "32-bit code segment at selector 0x08");
        assertEquals(0x00AF9A00L, u32(0xD4), "64-bit code segment at selector 0x18");

        long protectedModeEntry = u32(0x20); // 66 ea <u32> <u16> at 0x1e
        assertEquals(0x08, u16(0x24));
        assertEquals(0x66, image[(int) (protectedModeEntry - 0xF0000)] & 0xFF, "mov $0x10,%ax");
        long longModeEntry = u32(0x97); // ea <u32> <u16> at 0x96
        assertEquals(0x18, u16(0x9B));
        assertEquals(0xBA, image[(int) (longModeEntry - 0xF0000) + 1] & 0xFF, "mov $0x3fd,%dx");
        assertEquals(0x31, image[0xAE] & 0xFF, "the value written to isa-debug-exit");
        assertEquals(99, ProbeFirmware.SUCCESS_EXIT_STATUS);
    }
}
