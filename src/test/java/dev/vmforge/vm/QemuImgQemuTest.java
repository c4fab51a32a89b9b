package dev.vmforge.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/** {@link QemuImg#copyReplacing} against the host's qemu-img: run with {@code -Dvm.test.qemu=true}. */
@EnabledIfSystemProperty(named = "vm.test.qemu", matches = "true")
class QemuImgQemuTest {
    static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private final QemuImg qemuImg = new QemuImg(QemuInstallation.locate(null));

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void convert(Path from, DiskFormat fromFormat, Path to, DiskFormat toFormat) throws IOException {
        Process p = new ProcessBuilder("qemu-img", "convert", "-f", fromFormat.qemuName(), "-O", toFormat.qemuName(),
                from.toString(), to.toString()).inheritIO().start();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("qemu-img convert failed");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** The disk as raw bytes, by converting it with qemu-img itself. */
    private byte[] rawBytes(Path disk, DiskFormat format) throws IOException {
        if (format == DiskFormat.RAW) {
            return Files.readAllBytes(disk);
        }
        Path raw = dir.resolve(disk.getFileName() + ".raw");
        convert(disk, format, raw, DiskFormat.RAW);
        return Files.readAllBytes(raw);
    }

    @Test
    void replacesExactlyTheRangeAndKeepsTheRestOfAQcow2Disk() throws IOException {
        byte[] original = random(4 * MIB, 1);
        Path source = dir.resolve("source.qcow2");
        convert(file("source.raw", original), DiskFormat.RAW, source, DiskFormat.QCOW2);
        byte[] partition = random(MIB, 2);
        Path replacement = file("app.raw", partition);

        Path out = dir.resolve("out.qcow2");
        qemuImg.copyReplacing(source, DiskFormat.QCOW2, original.length, 2L * MIB, replacement, out, DiskFormat.QCOW2);

        byte[] expected = original.clone();
        System.arraycopy(partition, 0, expected, 2 * MIB, MIB);
        assertArrayEquals(expected, rawBytes(out, DiskFormat.QCOW2));
    }

    @Test
    void aRangeAtTheEndOfARawDiskNeedsNoTail() throws IOException {
        byte[] original = random(2 * MIB, 3);
        Path source = file("disk.img", original);
        Path replacement = file("app.raw", new byte[MIB]); // zeros: written as a hole
        Path out = dir.resolve("out.img");
        qemuImg.copyReplacing(source, DiskFormat.RAW, original.length, MIB, replacement, out, DiskFormat.RAW);
        byte[] expected = Arrays.copyOf(original, 2 * MIB);
        Arrays.fill(expected, MIB, 2 * MIB, (byte) 0);
        assertArrayEquals(expected, rawBytes(out, DiskFormat.RAW));
        assertThrows(IllegalArgumentException.class, () -> qemuImg.copyReplacing(source, DiskFormat.RAW,
                original.length, MIB + 1, replacement, dir.resolve("x.img"), DiskFormat.RAW));
    }
}
