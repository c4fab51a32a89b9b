package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.fs.Compression;
import dev.vmforge.fs.Content;
import dev.vmforge.fs.CpioWriter;
import dev.vmforge.fs.DebUnpacker;
import dev.vmforge.fs.DpkgDatabase;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.UnpackedPackage;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.system.KernelFiles;
import dev.vmforge.system.SystemFiles;
import dev.vmforge.system.SystemInitrd;
import dev.vmforge.system.SystemOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The system's root file system as a tree: the packages unpacked, dpkg's database, the generated
 * /etc, init and services, and (for a bootable system) the initrd beside the kernel in /boot.
 */
final class SystemTree {
    private SystemTree() {
    }

    /** A bootable tree: the kernel stays and an initrd is generated for it. */
    static FileTree forVm(OperatingSystem os, List<Path> debs, String rootUuid, String fsType, long mtime, BuildLog log)
            throws IOException {
        FileTree tree = packages(debs);
        SystemFiles.addTo(tree, os, SystemOptions.forVm(rootUuid, fsType, mtime), log);
        addInitrd(tree, fsType, mtime, log);
        return tree;
    }

    /**
     * A bootable tree from the configured system ({@link ConfigureStep}): the kernel package is unpacked onto it
     * (recorded as installed: its scripts' work, the initrd, is the plugin's), then the generated files and the
     * initrd. The application is not in it: it has its own partition.
     */
    static FileTree forVm(OperatingSystem os, FileTree configured, List<Path> kernelDebs,
                          String rootUuid, String fsType, long mtime, BuildLog log) throws IOException {
        List<UnpackedPackage> kernel = DebUnpacker.unpack(kernelDebs, configured);
        DpkgDatabase.add(configured, kernel, DpkgDatabase.Status.INSTALLED);
        SystemFiles.addTo(configured, os, SystemOptions.forVm(rootUuid, fsType, mtime), log);
        addInitrd(configured, fsType, mtime, log);
        return configured;
    }

    /** A container tree from the configured system: generated files only (the application is its own layer). */
    static FileTree forContainer(OperatingSystem os, FileTree configured, long mtime, BuildLog log) {
        SystemFiles.addTo(configured, os, SystemOptions.forContainer(mtime), log);
        return configured;
    }

    /** A container tree: no kernel, no bootloader, no initrd (the host's kernel runs it). */
    static FileTree forContainer(OperatingSystem os, List<Path> debs, long mtime, BuildLog log) throws IOException {
        FileTree tree = packages(debs);
        SystemFiles.addTo(tree, os, SystemOptions.forContainer(mtime), log);
        return tree;
    }

    /** The kernel package(s): kept out of containers. */
    static boolean isKernel(String packageName) {
        return packageName.startsWith("linux-image-");
    }

    private static FileTree packages(List<Path> debs) throws IOException {
        FileTree tree = new FileTree();
        List<UnpackedPackage> unpacked = DebUnpacker.unpack(debs, tree);
        DpkgDatabase.add(tree, unpacked, DpkgDatabase.Status.INSTALLED);
        return tree;
    }

    /** Writes {@code boot/initrd.img-VERSION}: busybox, the root disk's modules and an init mounting root by UUID. */
    static KernelFiles addInitrd(FileTree tree, String fsType, long mtime, BuildLog log) throws IOException {
        KernelFiles kernel = KernelFiles.find(tree);
        FileTree initrd = SystemInitrd.build(tree, fsType, mtime, log);
        tree.add(FileEntry.file("boot/initrd.img-" + kernel.version(), 0644, Content.of(gzipCpio(initrd, mtime))));
        return kernel;
    }

    static byte[] gzipCpio(FileTree tree, long mtime) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = Compression.gzip(bytes, 6)) {
            new CpioWriter(mtime).write(tree, gz);
        }
        return bytes.toByteArray();
    }
}
