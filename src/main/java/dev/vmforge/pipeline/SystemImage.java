package dev.vmforge.pipeline;

import dev.vmforge.fs.DiskSpace;
import dev.vmforge.fs.StableProperties;
import dev.vmforge.image.DiskImagePlan;
import dev.vmforge.image.ImageIds;
import dev.vmforge.image.IsoImagePlan;
import dev.vmforge.image.IsoVolume;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.Inputs;
import dev.vmforge.store.Realizer;
import dev.vmforge.vm.BuilderVmRequest;
import dev.vmforge.vm.DiskFormat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The system's disk image, made by the builder VM from the root file system: partitions, file systems, GRUB. With
 * an application, its last partition is left empty, sized {@code applicationBytes}; {@link DiskImage} writes the
 * application into a copy. Only the partition's size links the two, so a code change reuses this image.
 *
 * @param kernelArguments  {@code <kernelArguments>}, in grub.cfg
 * @param hostName         GRUB's menu title
 * @param applicationBytes size of the application partition, 0 for none
 * @param contained        the application, put into the image's root: an ISO has no partition to leave empty
 */
record SystemImage(RootFileSystem rootfs, BuilderEnvironment builder, ImageSpec spec, List<String> kernelArguments,
                   String hostName, long applicationBytes, Optional<ApplicationPartition> contained, long time,
                   Tools tools) implements Derivation<SystemImage.Output> {

    /**
     * @param disk              the image (qcow2 or raw)
     * @param diskBytes         its virtual size
     * @param application       the empty application partition's slot, if any
     * @param kernelCommandLine what grub.cfg passes the kernel (the run-vm script passes the same)
     */
    record Output(Path disk, DiskFormat format, long diskBytes, Optional<Slot> application, String kernelCommandLine) {
    }

    /** A byte range of the disk. */
    record Slot(long startBytes, long sizeBytes) {
    }

    SystemImage {
        kernelArguments = List.copyOf(kernelArguments);
    }

    @Override
    public String name() {
        return "system-image";
    }

    @Override
    public String title() {
        return "System disk image";
    }

    /** Its build starts a builder VM: worth fetching from substitutes. */
    @Override
    public boolean substitutable() {
        return true;
    }

    @Override
    public Location location() {
        return Location.PROJECT;
    }

    @Override
    public void declare(Inputs inputs) {
        inputs.derivation("rootfs", rootfs).derivation("builder", builder)
                .choice("format", spec.format())
                .number("size", spec.sizeBytes().orElse(-1))
                .choice("partitionTable", spec.partitionTable())
                .choice("firmware", spec.firmware())
                .choice("fileSystemType", spec.fileSystemType())
                .text("fileSystemLabel", spec.fileSystemLabel())
                .texts("kernelArguments", kernelArguments)
                .text("hostName", hostName)
                .number("applicationBytes", applicationBytes)
                .flag("volatileRoot", spec.volatileRoot())
                .number("time", time);
        contained.ifPresent(app -> inputs.derivation("contained", app));
    }

    @Override
    public String build(Path out, Realizer realizer) throws IOException, InterruptedException {
        if (spec.format() == ImageSpec.Format.ISO) {
            return buildIso(out, realizer);
        }
        RootFileSystem.Output files = realizer.input(rootfs);
        ImageIds ids = rootfs.ids(realizer);
        DiskImagePlan plan = DiskImagePlan.of(spec, files.stats(), ids.seed(), hostName,
                "/boot/vmlinuz-" + files.kernelVersion(), "/boot/initrd.img-" + files.kernelVersion(),
                kernelArguments, time, applicationBytes);
        BuilderEnvironment.BootFiles boot = realizer.input(builder);
        DiskFormat format = format(spec);
        Path disk = out.resolve(fileName(spec));
        // the image holds about what the tar holds (sparse or qcow2: free blocks take no room)
        DiskSpace.require(out.getParent(), Files.size(files.tar()) + (32L << 20), "the system image");
        try (Scratch scratch = Scratch.create(tools.context(), "build-image")) {
            // The guest writes a raw disk: a qcow2 written by QEMU would lay its clusters out in the order the
            // guest's writes arrive, which the guest kernel's writeback decides. qemu-img then converts in order.
            Path raw = format == DiskFormat.RAW ? disk : scratch.path().resolve("disk.raw");
            BuilderVmRequest request = BuilderVmRequest.builder("build-image", boot.kernel(), boot.initrd(),
                            plan.script().text())
                    .inputDisk(files.tar())
                    .outputDisk(raw, DiskFormat.RAW, plan.size().diskBytes())
                    .memoryMiB(memoryMiB(plan.script().treeMiB()))
                    .timeLimit(tools.context().vmTimeout())
                    .silenceLimit(tools.context().hangTimeout())
                    .logFile(tools.logFile("build-image-" + realizer.key(this).shortHex()))
                    .workDirectory(scratch.path())
                    .build();
            tools.builderVm().get().run(request);
            if (raw != disk) {
                tools.qemuImg().get().convert(raw, disk, format);
            }
        }
        Properties p = new Properties();
        p.setProperty("diskBytes", Long.toString(plan.size().diskBytes()));
        p.setProperty("kernelCommandLine", String.join(" ", plan.grub().commandLine()));
        plan.layout().application().ifPresent(slot -> {
            p.setProperty("applicationStart", Long.toString(slot.startBytes()));
            p.setProperty("applicationSize", Long.toString(slot.sizeBytes()));
        });
        StableProperties.write(p, out.resolve("image.properties"));
        return (plan.size().diskBytes() >> 20) + " MiB";
    }

    /**
     * The hybrid ISO: the builder VM writes it from the first byte of a raw disk that is surely large enough, which
     * is then cut to the ISO volume's size.
     */
    private String buildIso(Path out, Realizer realizer) throws IOException, InterruptedException {
        RootFileSystem.Output files = realizer.input(rootfs);
        Optional<ApplicationPartition.Output> app = contained.isPresent()
                ? Optional.of(realizer.input(contained.get())) : Optional.empty();
        long appBytes = app.isPresent() ? Files.size(app.get().file()) : 0;
        IsoImagePlan plan = IsoImagePlan.of(spec, files.stats(), rootfs.ids(realizer).seed(), hostName,
                "/boot/vmlinuz-" + files.kernelVersion(), "/boot/initrd.img-" + files.kernelVersion(),
                kernelArguments, time, appBytes);
        BuilderEnvironment.BootFiles boot = realizer.input(builder);
        Path iso = out.resolve(fileName(spec));
        DiskSpace.require(out.getParent(), plan.diskBytes(), "the ISO image");
        try (Scratch scratch = Scratch.create(tools.context(), "build-iso")) {
            BuilderVmRequest.Builder request = BuilderVmRequest.builder("build-iso", boot.kernel(), boot.initrd(),
                            plan.script().text())
                    .inputDisk(files.tar());
            app.ifPresent(a -> request.inputDisk(a.file()));
            tools.builderVm().get().run(request
                    .outputDisk(iso, DiskFormat.RAW, plan.diskBytes())
                    .memoryMiB(memoryMiB(plan.script().treeMiB()))
                    .timeLimit(tools.context().vmTimeout())
                    .silenceLimit(tools.context().hangTimeout())
                    .logFile(tools.logFile("build-iso-" + realizer.key(this).shortHex()))
                    .workDirectory(scratch.path())
                    .build());
        }
        long isoBytes = IsoVolume.bytes(iso);
        try (FileChannel ch = FileChannel.open(iso, StandardOpenOption.WRITE)) {
            ch.truncate(isoBytes);
        }
        Properties p = new Properties();
        p.setProperty("diskBytes", Long.toString(isoBytes));
        p.setProperty("kernelCommandLine", String.join(" ", plan.grub().commandLine()));
        StableProperties.write(p, out.resolve("image.properties"));
        return (isoBytes >> 20) + " MiB ISO";
    }

    @Override
    public Output read(Path out) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(out.resolve("image.properties"))) {
            p.load(r);
        }
        Optional<Slot> application = p.getProperty("applicationStart") == null ? Optional.empty()
                : Optional.of(new Slot(Long.parseLong(p.getProperty("applicationStart")),
                Long.parseLong(p.getProperty("applicationSize"))));
        return new Output(out.resolve(fileName(spec)), format(spec), Long.parseLong(p.getProperty("diskBytes")),
                application, p.getProperty("kernelCommandLine"));
    }

    /** The builder's memory: the tree's tmpfs and room for the tools and the disk's page cache. */
    static int memoryMiB(long treeMiB) {
        return (int) Math.max(1024, treeMiB + 768);
    }

    /** The image file in the entry, and its QEMU format. */
    static String fileName(ImageSpec spec) {
        return "disk." + spec.format().extension();
    }

    static DiskFormat format(ImageSpec spec) {
        return spec.format() == ImageSpec.Format.QCOW2 ? DiskFormat.QCOW2 : DiskFormat.RAW;
    }
}
