package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.app.ApplicationLayer;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TarWriter;
import dev.vmforge.image.ContentStats;
import dev.vmforge.image.DiskImagePlan;
import dev.vmforge.image.ImageIds;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Store;
import dev.vmforge.system.KernelFiles;
import dev.vmforge.vm.BuilderVm;
import dev.vmforge.vm.BuilderVmRequest;
import dev.vmforge.vm.DiskFormat;

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
 * {@code vm:build-image}'s two derivations: the bootable root file system as a tar (packages, generated
 * files, kernel and initrd), then the disk image the builder VM makes of it.
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

    /**
     * @param configured  the configured system without the kernel ({@link ConfigureStep}), made only when needed
     * @param kernelDebs  the kernel package(s)
     * @param application the application's files, or empty; its key makes a code change rebuild only this tar
     *                    and the image, not the configured system
     */
    RootFileSystem rootFileSystem(OperatingSystem os, DerivationKey systemKey, ImageSpec image,
                                  Supplier<FileTree> configured, Supplier<List<Path>> kernelDebs,
                                  Optional<ApplicationLayer> application) {
        String fsType = image.fileSystemType().name().toLowerCase(Locale.ROOT);
        String rootUuid = ImageIds.derive(systemKey.hex()).rootUuid().toString();
        DerivationKey.Builder keyBuilder = DerivationKey.builder("rootfs-vm").add("system", systemKey)
                .add("fsType", fsType);
        application.ifPresent(app -> keyBuilder.add("application", app.key()));
        DerivationKey key = keyBuilder.build();
        Path dir;
        try (Step step = Step.start(log, "Root file system")) {
            Store.Result result = projectStore.realize(key, "rootfs", out -> {
                FileTree tree = SystemTree.forVm(os, configured.get(), kernelDebs.get(),
                        application.map(ApplicationLayer::tree).orElseGet(FileTree::new), rootUuid, fsType,
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

    /** Partitions, sizes, GRUB configuration and builder script of the image of {@code rootfs}. */
    DiskImagePlan plan(OperatingSystem os, ImageSpec spec, DerivationKey systemKey, RootFileSystem rootfs) {
        return DiskImagePlan.of(spec, rootfs.stats(), systemKey.hex(), os.hostName(),
                "/boot/vmlinuz-" + rootfs.kernelVersion(), "/boot/initrd.img-" + rootfs.kernelVersion(),
                os.kernelArguments(), 1, context.outputTimestamp());
    }

    /** Builds (or finds) the disk image in the project store; returns the stored file, never to be modified. */
    Path storedImage(DiskImagePlan plan, ImageSpec spec, RootFileSystem rootfs,
                     Supplier<BuilderEnvironment.BootFiles> builder, Supplier<BuilderVm> vm, DerivationKey builderKey) {
        DerivationKey key = DerivationKey.builder("disk-image").add("rootfs", rootfs.key()).add("builder", builderKey)
                .add("script", plan.script().text()).add("size", plan.size().diskBytes()).build();
        String fileName = "disk." + spec.format().extension();
        try (Step step = Step.start(log, "Disk image")) {
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
            return result.path();
        }
    }

    /** Builds (or finds) the disk image and copies it to {@code target/FINALNAME.EXT}. */
    Path image(OperatingSystem os, ImageSpec spec, DerivationKey systemKey, RootFileSystem rootfs,
               Supplier<BuilderEnvironment.BootFiles> builder, Supplier<BuilderVm> vm, DerivationKey builderKey) {
        Path stored = storedImage(plan(os, spec, systemKey, rootfs), spec, rootfs, builder, vm, builderKey);
        return publish(stored, context.targetDirectory().resolve(context.finalName() + "." + spec.format().extension()));
    }


    /** Copies a store output to its user-facing name atomically; the store copy stays pristine. */
    static Path publish(Path stored, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
            Files.copy(stored, temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + target, e);
        }
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
