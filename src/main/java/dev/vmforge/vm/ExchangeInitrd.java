package dev.vmforge.vm;

import dev.vmforge.fs.Content;
import dev.vmforge.fs.CpioWriter;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The initramfs one builder VM run boots: an uncompressed cpio holding the exchange folder as {@code /xchg},
 * followed by the (cached, usually compressed) builder initramfs. The kernel unpacks concatenated archives in
 * order into one root file system, so the guest's {@code /xchg} starts populated in RAM without any shared
 * folder. The small archive goes first, as early-microcode archives do: after a compressed archive not every
 * kernel decompressor reports where its input ended, while an uncompressed one always ends at its trailer.
 */
final class ExchangeInitrd {
    /** The exchange folder's place in the guest, relative to its root. */
    static final String GUEST_FOLDER = "xchg";
    /** Archives are padded to this boundary; the kernel skips the zero bytes between them. */
    private static final int ALIGNMENT = 512;

    private ExchangeInitrd() {
    }

    /** Writes {@code target}: the files of {@code xchgFolder} under {@code /xchg}, then {@code builderInitrd}. */
    static Path write(Path xchgFolder, Path builderInitrd, Path target) throws IOException {
        FileTree tree = new FileTree().add(FileEntry.directory(GUEST_FOLDER, 0755));
        try (Stream<Path> walk = Files.walk(xchgFolder)) {
            for (Path file : walk.sorted().toList()) {
                if (file.equals(xchgFolder)) {
                    continue;
                }
                String name = GUEST_FOLDER + "/" + xchgFolder.relativize(file).toString().replace('\\', '/');
                if (Files.isDirectory(file)) {
                    tree.add(FileEntry.directory(name, 0755));
                } else {
                    tree.add(FileEntry.file(name, Files.isExecutable(file) ? 0755 : 0644, Content.ofFile(file)));
                }
            }
        }
        try (OutputStream out = Files.newOutputStream(target)) {
            CountingStream counted = new CountingStream(out);
            new CpioWriter(1).write(tree, counted);
            out.write(new byte[(int) ((ALIGNMENT - counted.count % ALIGNMENT) % ALIGNMENT)]);
            Files.copy(builderInitrd, out);
        }
        return target;
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
