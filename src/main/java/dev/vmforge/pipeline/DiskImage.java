package dev.vmforge.pipeline;

import dev.vmforge.store.Derivation;
import dev.vmforge.store.Inputs;
import dev.vmforge.store.Realizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The image a user boots: the system's image with the application partition's bytes in its slot, composed on the
 * host by {@code qemu-img} (no VM); without an application, a copy of the system's image. {@code vm:build-image}
 * publishes it to {@code target/}; the run-vm script boots it from the store.
 */
record DiskImage(SystemImage system, Optional<ApplicationPartition> application, Tools tools)
        implements Derivation<Path> {

    @Override
    public String name() {
        return "disk-image";
    }

    @Override
    public String title() {
        return "Disk image";
    }

    @Override
    public Location location() {
        return Location.PROJECT;
    }

    @Override
    public void declare(Inputs inputs) {
        inputs.derivation("system", system);
        application.ifPresentOrElse(app -> inputs.derivation("application", app),
                () -> inputs.text("application", null));
    }

    @Override
    public String build(Path out, Realizer realizer) throws IOException {
        SystemImage.Output image = realizer.input(system);
        Path file = out.resolve(SystemImage.fileName(system.spec()));
        if (application.isEmpty()) {
            Files.copy(image.disk(), file);
            return "the system image";
        }
        ApplicationPartition.Output app = realizer.input(application.get());
        SystemImage.Slot slot = image.application().orElseThrow(
                () -> new IllegalStateException("the system image was planned without an application partition"));
        if (app.partitionBytes() != slot.sizeBytes()) {
            throw new IllegalStateException("application partition of " + app.partitionBytes() + " bytes for a "
                    + slot.sizeBytes() + "-byte slot");
        }
        tools.qemuImg().get().copyReplacing(image.disk(), image.format(), image.diskBytes(), slot.startBytes(),
                app.file(), file, image.format());
        return "system image + application partition";
    }

    @Override
    public Path read(Path out) {
        return out.resolve(SystemImage.fileName(system.spec()));
    }
}
