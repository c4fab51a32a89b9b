package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.debian.Base;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolveRequest;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.CpioWriter;
import dev.vmforge.fs.DebUnpacker;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.image.BuilderInitramfs;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Store;
import dev.vmforge.system.KernelFiles;
import dev.vmforge.system.ModuleResolver;
import dev.vmforge.vm.BuilderInit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The builder VM's kernel and initramfs (Guix's expression->derivation-in-linux-vm machine): Debian's
 * cloud kernel and an initramfs of busybox, the partitioning, file-system and GRUB tools with their
 * libraries, and the modules to reach virtio disks and write FAT. It depends on no project file, so it
 * lives in the shared cache and is made once per distribution state.
 */
final class BuilderEnvironment {
    /**
     * Debian's cloud kernel: LZ4-compressed and without most hardware drivers, it reaches /init in about a third
     * of the generic kernel's time under software emulation. It has no 9p, so the exchange folder travels in the
     * initramfs and on a disk (see BuilderVm).
     */
    static final String KERNEL = "linux-image-cloud-amd64";
    /** Disks, the root file system (ext4, built into the cloud kernel) and the ESP (vfat and its code pages). */
    static final List<String> MODULES = List.of("virtio_pci", "virtio_blk", "ext4", "vfat",
            "nls_cp437", "nls_iso8859-1", "nls_ascii");
    /** Faster checksums for ext4 where the CPU has SSE4.2; the build works without it. */
    static final List<String> OPTIONAL_MODULES = List.of("crc32c-intel");

    /** The kernel and initramfs of the builder VM. */
    record BootFiles(Path kernel, Path initrd) {
    }

    private final PackageSelection packages;
    private final dev.vmforge.debian.DebianArchive archive;
    private final Store sharedStore;
    private final BuildLog log;

    BuilderEnvironment(dev.vmforge.debian.DebianArchive archive, PackageSelection packages, Store sharedStore,
                       BuildLog log) {
        this.archive = archive;
        this.packages = packages;
        this.sharedStore = sharedStore;
        this.log = log;
    }

    /** The builder's package closure and the key of the environment made from it. */
    record Plan(ResolvedClosure closure, DerivationKey key) {
    }

    /** Resolves the builder's packages: cheap, and enough to know the environment's key. */
    Plan plan(List<PackageSource> sources) {
        try (Step step = Step.start(log, "Resolving builder VM packages")) {
            ResolvedClosure closure = archive.resolve(
                    new ResolveRequest(sources, BuilderInitramfs.PACKAGES, KERNEL, Base.MINIMAL, false));
            step.outcome(closure.packages().size() + " packages");
            DerivationKey.Builder key = DerivationKey.builder("builder-environment")
                    .add("init", BuilderInit.SCRIPT).add("modules", MODULES)
                    .add("optional-modules", OPTIONAL_MODULES);
            closure.packages().forEach(p -> key.add(p.name(), p.sha256()));
            return new Plan(closure, key.build());
        }
    }

    /** Builds the kernel and initramfs, or finds them in the shared cache. */
    BootFiles realize(Plan plan) {
        try (Step step = Step.start(log, "Builder VM kernel and initramfs")) {
            Store.Result result = sharedStore.realize(plan.key(), "builder", out -> build(plan.closure(), out));
            step.outcome(result.built() ? "built" : "up to date");
            return new BootFiles(result.path().resolve("vmlinuz"), result.path().resolve("initrd.img"));
        }
    }

    private void build(ResolvedClosure closure, Path out) throws IOException {
        Map<ResolvedPackage, Path> debs = packages.download(closure);
        FileTree tools = new FileTree();
        FileTree kernelTree = new FileTree();
        for (ResolvedPackage p : closure.packages()) {
            DebUnpacker.unpack(debs.get(p), SystemTree.isKernel(p.name()) ? kernelTree : tools);
        }
        KernelFiles kernel = KernelFiles.find(kernelTree);
        ModuleResolver.ModuleSet modules = new ModuleResolver(kernelTree, kernel).resolve(MODULES, OPTIONAL_MODULES);
        List<String> loadOrder = new ArrayList<>();
        modules.modules().forEach(m -> loadOrder.add(kernel.modulesDir() + "/" + m));
        FileTree initramfs = BuilderInitramfs.compose(tools, kernelTree, loadOrder, BuilderInit.SCRIPT);

        Files.createDirectories(out);
        FileEntry vmlinuz = kernelTree.get(kernel.vmlinuzPath()).orElseThrow();
        try (InputStream in = vmlinuz.content().open()) {
            Files.copy(in, out.resolve("vmlinuz"));
        }
        // Uncompressed (19 MiB): under software emulation the kernel spends ~0.5 s unpacking even zstd, while
        // QEMU loads the plain bytes in no time; BuilderVm puts the run's exchange archive in front of it.
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out.resolve("initrd.img")))) {
            new CpioWriter(1).write(initramfs, file);
        }
    }
}
