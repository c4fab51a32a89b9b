package dev.vmforge.pipeline;

import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.fs.Compression;
import dev.vmforge.fs.Content;
import dev.vmforge.fs.CpioWriter;
import dev.vmforge.fs.DpkgDatabase;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.UnpackedPackage;
import dev.vmforge.system.KernelFiles;
import dev.vmforge.system.RootMedium;
import dev.vmforge.system.SystemConfiguration;
import dev.vmforge.system.SystemFiles;
import dev.vmforge.system.SystemInitrd;
import dev.vmforge.system.SystemOptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * What the configured system becomes: bootable (the kernel unpacked onto it, the generated files, an initrd
 * beside the kernel in /boot) or a container's root (the generated files only: the host's kernel runs it).
 */
final class SystemTree {
    private SystemTree() {
    }

    /**
     * Unpacks the kernel package onto the configured tree (recorded as installed: its scripts' work, the initrd,
     * is the plugin's), then adds the generated files and the initrd.
     */
    static void bootable(FileTree configured, ResolvedClosure kernel, SystemConfiguration system, String rootUuid,
                         String fsType, RootMedium medium, long mtime, Tools tools) throws IOException {
        List<UnpackedPackage> unpacked = tools.packages().unpack(kernel, configured);
        DpkgDatabase.add(configured, unpacked, DpkgDatabase.Status.INSTALLED);
        SystemFiles.addTo(configured, system, SystemOptions.forVm(rootUuid, fsType, mtime), tools.log());
        KernelFiles kernelFiles = KernelFiles.find(configured);
        FileTree initrd = SystemInitrd.build(configured, fsType, medium, mtime, tools.log());
        configured.add(FileEntry.file("boot/initrd.img-" + kernelFiles.version(), 0644,
                Content.of(gzipCpio(initrd, mtime))));
    }

    /** Adds the generated files of a container (no fstab entries, the container init). */
    static void container(FileTree configured, SystemConfiguration system, long mtime, Tools tools) {
        SystemFiles.addTo(configured, system, SystemOptions.forContainer(mtime), tools.log());
    }

    static byte[] gzipCpio(FileTree tree, long mtime) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = Compression.gzip(bytes, 6)) {
            new CpioWriter(mtime).write(tree, gz);
        }
        return bytes.toByteArray();
    }
}
