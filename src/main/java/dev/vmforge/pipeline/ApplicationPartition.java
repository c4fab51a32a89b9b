package dev.vmforge.pipeline;

import dev.vmforge.app.ApplicationTree;
import dev.vmforge.image.ApplicationPartitionFormat;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.Inputs;
import dev.vmforge.store.Realizer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of the disk image's application partition ({@link ApplicationPartitionFormat}): the marker, the
 * application's files as a tar, zeros (a hole) up to the partition's size, which rounds generously so ordinary
 * code changes keep the system image.
 */
record ApplicationPartition(ApplicationTree application, long time) implements Derivation<ApplicationPartition.Output> {
    static final String FILE = "application.raw";

    /** @param partitionBytes the partition's size: the system image leaves a slot of this size */
    record Output(Path file, long partitionBytes) {
    }

    @Override
    public String name() {
        return "application-partition";
    }

    @Override
    public String title() {
        return "Application partition";
    }

    @Override
    public Location location() {
        return Location.PROJECT;
    }

    @Override
    public void declare(Inputs inputs) {
        application.declare(inputs);
        inputs.number("time", time);
    }

    @Override
    public String build(Path out, Realizer realizer) throws IOException {
        Path file = out.resolve(FILE);
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ApplicationPartitionFormat.write(application.tree(), realizer.key(this).hex(), time, stream);
        }
        long tarBytes = Files.size(file);
        long partitionBytes = ApplicationPartitionFormat.sizeFor(tarBytes);
        // the zeros after the tar stay a hole: the file takes the tar's size on disk
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(partitionBytes);
        }
        return Engine.humanSize(tarBytes) + " of " + (partitionBytes >> 20) + " MiB";
    }

    @Override
    public Output read(Path out) throws IOException {
        Path file = out.resolve(FILE);
        return new Output(file, Files.size(file));
    }
}
