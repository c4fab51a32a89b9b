package dev.vmforge.pipeline;

import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.CpioWriter;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.Inputs;
import dev.vmforge.store.Realizer;
import dev.vmforge.system.KernelFiles;
import dev.vmforge.system.ModuleResolver;
import dev.vmforge.vm.BuilderInit;
import dev.vmforge.vm.BuilderInitramfs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The builder VM's kernel and initramfs (Guix's expression->derivation-in-linux-vm machine): Debian's cloud kernel
 * and an initramfs of busybox, the partitioning, file-system and GRUB tools with their libraries, and the modules
 * to reach virtio disks and write FAT ({@link BuilderInitramfs}, {@link BuilderInit}). It depends on no project
 * file, so it lives in the shared cache and is made once per distribution state.
 *
 * @param closure the builder's packages ({@link BuilderInitramfs#PACKAGES} and {@link #KERNEL}, resolved)
 */
record BuilderEnvironment(ResolvedClosure closure, Tools tools) implements Derivation<BuilderEnvironment.BootFiles> {
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

    /** The kernel and initramfs a builder VM boots. */
    record BootFiles(Path kernel, Path initrd) {
    }

    @Override
    public String name() {
        return "builder";
    }

    @Override
    public String title() {
        return "Builder VM kernel and initramfs";
    }

    /** Its build unpacks a kernel and the builder's packages into an initramfs (seconds): worth fetching from substitutes. */
    @Override
    public boolean substitutable() {
        return true;
    }

    @Override
    public Location location() {
        return Location.SHARED;
    }

    @Override
    public void declare(Inputs inputs) {
        declarePackages(inputs, "packages", closure);
        inputs.texts("modules", MODULES).texts("optionalModules", OPTIONAL_MODULES);
    }

    /** A closure's packages as inputs: each by name, version, architecture and the SHA-256 its index lists. */
    static void declarePackages(Inputs inputs, String field, ResolvedClosure closure) {
        inputs.list(field, closure.packages(), (in, p) -> in.text("name", p.name())
                .text("version", p.version().toString()).text("architecture", p.architecture())
                .digest("sha256", p.sha256()));
    }

    @Override
    public String build(Path out, Realizer realizer) throws IOException {
        FileTree tools = new FileTree();
        FileTree kernelTree = new FileTree();
        tools().packages().unpack(packagesWhere(closure, false), tools);
        tools().packages().unpack(packagesWhere(closure, true), kernelTree);
        KernelFiles kernel = KernelFiles.find(kernelTree);
        ModuleResolver.ModuleSet modules = new ModuleResolver(kernelTree, kernel).resolve(MODULES, OPTIONAL_MODULES);
        List<String> loadOrder = new ArrayList<>();
        modules.modules().forEach(m -> loadOrder.add(kernel.modulesDir() + "/" + m));
        FileTree initramfs = BuilderInitramfs.compose(tools, kernelTree, loadOrder, BuilderInit.script());

        FileEntry vmlinuz = kernelTree.get(kernel.vmlinuzPath()).orElseThrow();
        try (InputStream in = vmlinuz.content().open()) {
            Files.copy(in, out.resolve("vmlinuz"));
        }
        // Uncompressed (19 MiB): under software emulation the kernel spends ~0.5 s unpacking even zstd, while
        // QEMU loads the plain bytes in no time; BuilderVm puts the run's exchange archive in front of it.
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out.resolve("initrd.img")))) {
            new CpioWriter(1).write(initramfs, file);
        }
        return "kernel " + kernel.version() + ", " + initramfs.size() + " files";
    }

    @Override
    public BootFiles read(Path out) {
        return new BootFiles(out.resolve("vmlinuz"), out.resolve("initrd.img"));
    }

    /** The kernel packages ({@code kernel} true) or all the others, as a closure of their own. */
    static ResolvedClosure packagesWhere(ResolvedClosure closure, boolean kernel) {
        return new ResolvedClosure(closure.packages().stream().filter(p -> isKernel(p) == kernel).toList(),
                closure.sources());
    }

    /** The kernel package(s): booted, never configured by dpkg, kept out of containers. */
    static boolean isKernel(ResolvedPackage p) {
        return p.name().startsWith("linux-image-");
    }
}
