package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.app.ApplicationLayer;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TarWriter;
import dev.vmforge.image.ApplicationPartition;
import dev.vmforge.image.ContentStats;
import dev.vmforge.image.DiskImagePlan;
import dev.vmforge.image.ImageIds;
import dev.vmforge.image.Partition;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Store;
import dev.vmforge.system.KernelFiles;
import dev.vmforge.vm.BuilderVm;
import dev.vmforge.vm.BuilderVmRequest;
import dev.vmforge.vm.DiskFormat;
import dev.vmforge.vm.QemuImg;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * {@code vm:build-image}'s derivations: the bootable root file system as a tar (packages, generated files,
 * kernel and initrd), the system's disk image the builder VM makes of it, and, for a system with an
 * application, the application partition and the final image: a copy of the system's image with that
 * partition written in, made on the host by {@code qemu-img}. A code change rebuilds only the last two.
 */
final class DiskImageBuild {
    private final BuildContext context;
    private final Store projectStore;
    private final BuildLog log;

    DiskImageBuild(BuildContext context, Store projectStore) {
        this.context = context;
        this.projectStore = projectStore;
        this.log = context.log();
    }

    /** The root file system tar with the numbers the image size estimate needs. */
    record RootFileSystem(DerivationKey key, Path tar, ContentStats stats, String kernelVersion) {
        Path kernel() {
            return tar.resolveSibling("vmlinuz");
        }

        Path initrd() {
            return tar.resolveSibling("initrd.img");
        }
    }

    /** The application partition's content: its tar, padded with zeros (sparse) to the partition's size. */
    record ApplicationPartitionFile(DerivationKey key, Path file, long partitionBytes) {
    }

    /** A disk image in the project store, never to be modified. */
    record StoredImage(DerivationKey key, Path file) {
    }

    /**
     * @param configured the configured system without the kernel ({@link ConfigureStep}), made only when needed
     * @param kernelDebs the kernel package(s)
     */
    RootFileSystem rootFileSystem(OperatingSystem os, DerivationKey systemKey, ImageSpec image,
                                  Supplier<FileTree> configured, Supplier<List<Path>> kernelDebs) {
        String fsType = image.fileSystemType().name().toLowerCase(Locale.ROOT);
        String rootUuid = ImageIds.derive(systemKey.hex()).rootUuid().toString();
        DerivationKey key = DerivationKey.builder("rootfs-vm").add("system", systemKey).add("fsType", fsType).build();
        Path dir;
        try (Step step = Step.start(log, "Root file system")) {
            Store.Result result = projectStore.realize(key, "rootfs", out -> {
                FileTree tree = SystemTree.forVm(os, configured.get(), kernelDebs.get(), rootUuid, fsType,
                        context.outputTimestamp(), log);
                KernelFiles kernel = KernelFiles.find(tree);
                Files.createDirectories(out);
                try (OutputStream tar = new java.io.BufferedOutputStream(Files.newOutputStream(out.resolve("rootfs.tar")), 1 << 16)) {
                    new TarWriter(context.outputTimestamp()).write(tree, tar);
                }
                // the run-vm script boots these directly, without the bootloader
                copy(tree, kernel.vmlinuzPath(), out.resolve("vmlinuz"));
                copy(tree, "boot/initrd.img-" + kernel.version(), out.resolve("initrd.img"));
                ContentStats stats = ContentStats.of(tree);
                Properties p = new Properties();
                p.setProperty("bytesIn1kBlocks", Long.toString(stats.bytesIn1kBlocks()));
                p.setProperty("bytesIn4kBlocks", Long.toString(stats.bytesIn4kBlocks()));
                p.setProperty("inodes", Long.toString(stats.inodes()));
                p.setProperty("kernelVersion", kernel.version());
                try (Writer w = Files.newBufferedWriter(out.resolve("rootfs.properties"))) {
                    p.store(w, null);
                }
                step.outcome(tree.size() + " entries, " + (Files.size(out.resolve("rootfs.tar")) >> 20) + " MiB, built");
            });
            if (!result.built()) {
                step.outcome("up to date");
            }
            dir = result.path();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("rootfs.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ContentStats stats = new ContentStats(Long.parseLong(p.getProperty("bytesIn1kBlocks")),
                Long.parseLong(p.getProperty("bytesIn4kBlocks")), Long.parseLong(p.getProperty("inodes")));
        return new RootFileSystem(key, dir.resolve("rootfs.tar"), stats, p.getProperty("kernelVersion"));
    }

    private static void copy(FileTree tree, String path, Path target) throws IOException {
        try (java.io.InputStream in = tree.get(path).orElseThrow().content().open()) {
            Files.copy(in, target);
        }
    }

    /**
     * The application's files as the tar of the image's last partition ({@link ApplicationPartition}), or empty
     * without an application. Its size, rounded up generously, is all the system's image knows of it.
     */
    Optional<ApplicationPartitionFile> applicationPartition(Optional<ApplicationLayer> application) {
        if (application.isEmpty()) {
            return Optional.empty();
        }
        ApplicationLayer app = application.get();
        DerivationKey key = DerivationKey.builder("application-partition").add("application", app.key()).build();
        try (Step step = Step.start(log, "Application partition")) {
            Store.Result result = projectStore.realize(key, "application.raw", out -> {
                try (OutputStream stream = new java.io.BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
                    ApplicationPartition.write(app.tree(), app.key().hex(), context.outputTimestamp(), stream);
                }
                long tarBytes = Files.size(out);
                long partitionBytes = ApplicationPartition.sizeFor(tarBytes);
                // the zeros after the tar stay a hole: the file takes the tar's size on disk
                try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(out.toFile(), "rw")) {
                    file.setLength(partitionBytes);
                }
                step.outcome(Engine.humanSize(tarBytes) + " of " + (partitionBytes >> 20) + " MiB, built");
            });
            if (!result.built()) {
                step.outcome("up to date");
            }
            try {
                return Optional.of(new ApplicationPartitionFile(key, result.path(), Files.size(result.path())));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Partitions, sizes, GRUB configuration and builder script of the image of {@code rootfs}, with an
     * application partition of {@code applicationBytes} (0: none) at the end.
     */
    DiskImagePlan plan(OperatingSystem os, ImageSpec spec, DerivationKey systemKey, RootFileSystem rootfs,
                       long applicationBytes) {
        return DiskImagePlan.of(spec, rootfs.stats(), systemKey.hex(), os.hostName(),
                "/boot/vmlinuz-" + rootfs.kernelVersion(), "/boot/initrd.img-" + rootfs.kernelVersion(),
                os.kernelArguments(), 1, context.outputTimestamp(), applicationBytes);
    }

    /**
     * Builds (or finds) the system's disk image, its application partition left empty, in the project store.
     */
    StoredImage systemImage(DiskImagePlan plan, ImageSpec spec, RootFileSystem rootfs,
                            Supplier<BuilderEnvironment.BootFiles> builder, Supplier<BuilderVm> vm, DerivationKey builderKey) {
        DerivationKey key = DerivationKey.builder("disk-image").add("rootfs", rootfs.key()).add("builder", builderKey)
                .add("script", plan.script().text()).add("size", plan.size().diskBytes()).build();
        String fileName = "disk." + spec.format().extension();
        try (Step step = Step.start(log, "System disk image")) {
            Store.Result result = projectStore.realize(key, fileName, out -> {
                BuilderEnvironment.BootFiles boot = builder.get();
                BuilderVmRequest request = BuilderVmRequest.builder("build-image", boot.kernel(), boot.initrd(),
                                plan.script().text())
                        .inputDisk(rootfs.tar())
                        .outputDisk(out, spec.format() == ImageSpec.Format.QCOW2 ? DiskFormat.QCOW2 : DiskFormat.RAW,
                                plan.size().diskBytes())
                        .timeLimit(context.vmTimeout())
                        .logFile(context.workDirectory().resolve("logs").resolve("build-image.log"))
                        .workDirectory(context.workDirectory().resolve("tmp"))
                        .build();
                vm.get().run(request);
            });
            step.outcome(result.built() ? "built" : "up to date");
            return new StoredImage(key, result.path());
        }
    }

    /**
     * The system's image with the application partition written in, in the project store (the run-vm script's
     * disk). Without an application, the system's image itself.
     */
    StoredImage withApplication(StoredImage system, DiskImagePlan plan, ImageSpec spec,
                                Optional<ApplicationPartitionFile> application, Supplier<QemuImg> qemuImg) {
        if (application.isEmpty()) {
            return system;
        }
        DerivationKey key = withApplicationKey(system, application.get());
        try (Step step = Step.start(log, "Disk image")) {
            Store.Result result = projectStore.realize(key, "disk." + spec.format().extension(),
                    out -> writeWithApplication(system, plan, spec, application.get(), qemuImg.get(), out));
            step.outcome(result.built() ? "system image + application partition" : "up to date");
            return new StoredImage(key, result.path());
        }
    }

    private static DerivationKey withApplicationKey(StoredImage system, ApplicationPartitionFile app) {
        return DerivationKey.builder("disk-image-with-application").add("system", system.key())
                .add("application", app.key()).build();
    }

    /** A copy of the system's image with the application partition's bytes in their slot: qemu-img, no VM. */
    private static void writeWithApplication(StoredImage system, DiskImagePlan plan, ImageSpec spec,
                                             ApplicationPartitionFile app, QemuImg qemuImg, Path out) {
        Partition partition = plan.layout().application().orElseThrow(
                () -> new IllegalStateException("the image was planned without an application partition"));
        if (app.partitionBytes() != partition.sizeBytes()) {
            throw new IllegalStateException("application partition of " + app.partitionBytes() + " bytes for a "
                    + partition.sizeBytes() + "-byte slot");
        }
        DiskFormat format = spec.format() == ImageSpec.Format.QCOW2 ? DiskFormat.QCOW2 : DiskFormat.RAW;
        qemuImg.copyReplacing(system.file(), format, plan.size().diskBytes(), partition.startBytes(), app.file(),
                out, format);
    }

    /**
     * Builds (or finds) the system's image and the application partition, and writes {@code target/FINALNAME.EXT}:
     * the system's image with the partition written in, or a copy of it. Rewritten only when either changed.
     */
    Path image(OperatingSystem os, ImageSpec spec, DerivationKey systemKey, RootFileSystem rootfs,
               Optional<ApplicationPartitionFile> application, Supplier<BuilderEnvironment.BootFiles> builder,
               Supplier<BuilderVm> vm, DerivationKey builderKey, Supplier<QemuImg> qemuImg) {
        DiskImagePlan plan = plan(os, spec, systemKey, rootfs,
                application.map(ApplicationPartitionFile::partitionBytes).orElse(0L));
        StoredImage system = systemImage(plan, spec, rootfs, builder, vm, builderKey);
        PublishedOutput target = new PublishedOutput(
                context.targetDirectory().resolve(context.finalName() + "." + spec.format().extension()),
                context.workDirectory());
        DerivationKey key = application.map(app -> withApplicationKey(system, app)).orElse(system.key());
        try (Step step = Step.start(log, "Disk image")) {
            if (target.upToDate(key)) {
                step.outcome("up to date");
            } else if (application.isPresent()) {
                target.write(key, out -> writeWithApplication(system, plan, spec, application.get(), qemuImg.get(), out));
                step.outcome("system image + application partition");
            } else {
                target.write(key, out -> Files.copy(system.file(), out));
                step.outcome("copied from the store");
            }
        }
        return target.path();
    }

    /** The system's identity: its packages, its declaration, its project files and the time stamp. */
    static DerivationKey systemKey(OperatingSystem os, ResolvedClosure closure, long timestamp) {
        DerivationKey.Builder key = DerivationKey.builder("system").add("os", os.toString()).add("time", timestamp);
        for (ResolvedPackage p : closure.packages()) {
            key.add(p.name(), p.sha256());
        }
        os.files().forEach(f -> key.addFile(f.target(), f.source()));
        return key.build();
    }
}
