package dev.vmforge.system;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.ShellTemplate;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.InvalidConfigurationException;

import java.util.ArrayList;
import java.util.List;

/**
 * The booted system's initrd, as a tree the caller writes as cpio newc (+ gzip): busybox, the kernel modules
 * needed to reach the root disk, and an {@code /init} that mounts the root file system and switches to it.
 *
 * <p>The contract with the kernel command line (the image and run-vm-script engineers put it there):
 * <ul>
 *   <li>{@code root=UUID=...}, {@code root=LABEL=...} or {@code root=/dev/vdX} (required);</li>
 *   <li>{@code rootfstype=} (default ext4), {@code rootflags=}, {@code rw} (default: mounted read-only,
 *       the system's rcS remounts it read-write), {@code init=} (default {@code /sbin/init}),
 *       {@code rootwait=SECONDS} (default 10);</li>
 *   <li>{@code vmforge.rescue=shell}: on failure open a shell on the console instead of powering off;</li>
 *   <li>{@code vmforge.root=volatile}: mount the root read-only as the lower layer of an overlay whose upper layer
 *       is a tmpfs, so that nothing is ever written to the medium (USB sticks, ISO); the read-only root stays
 *       visible at {@code /media/root-ro};</li>
 *   <li>{@code console=ttyS0} so that messages reach the serial port.</li>
 * </ul>
 */
public final class SystemInitrd {
    /** Drivers to reach a virtio disk; the root file system's own driver is added from rootfstype. */
    public static final List<String> ROOT_DISK_MODULES = List.of("virtio_pci", "virtio_blk");
    /** Loaded when the kernel has them, for a root file system on 9p later; absent from Debian's cloud kernel. */
    public static final List<String> OPTIONAL_MODULES = List.of();
    /** The kernel argument that makes the initrd put the root under a tmpfs overlay. */
    public static final String VOLATILE_ARGUMENT = "vmforge.root=volatile";

    private SystemInitrd() {
    }

    /**
     * Builds the initrd from an unpacked system tree holding {@code bin/busybox} (busybox-static) and a kernel.
     *
     * @param rootFsType file system type of the root partition, e.g. {@code ext4}; its module is included
     * @param mtime      modification time of every entry (seconds), for reproducible output
     */
    public static FileTree build(FileTree system, String rootFsType, long mtime, BuildLog log) {
        return build(system, rootFsType, RootMedium.DISK, mtime, log);
    }

    /**
     * @param medium what the root is on: a volatile or ISO root adds overlay and the drivers of every bus
     * @throws InvalidConfigurationException naming {@code <kernel>} when the kernel lacks what the medium needs
     */
    public static FileTree build(FileTree system, String rootFsType, RootMedium medium, long mtime, BuildLog log) {
        FileEntry busybox = TreeLookup.find(system, "bin/busybox")
                .or(() -> TreeLookup.find(system, "usr/bin/busybox"))
                .filter(e -> e.type() == FileEntry.Type.FILE)
                .orElseThrow(() -> new BuildException("the system initrd needs a static busybox, but the system has "
                        + "no /bin/busybox: add busybox-static to <operatingSystem><packages>"));
        ModuleResolver resolver = ModuleResolver.of(system);
        List<String> required = new ArrayList<>(ROOT_DISK_MODULES);
        required.add(rootFsType);
        List<String> optional = new ArrayList<>(OPTIONAL_MODULES);
        optional.addAll(medium.requiredModules());
        optional.addAll(medium.optionalModules());
        ModuleResolver.ModuleSet modules = resolver.resolve(required, optional);
        List<String> missing = medium.requiredModules().stream().filter(modules.unavailable()::contains).toList();
        if (!missing.isEmpty()) {
            throw new InvalidConfigurationException("operatingSystem/kernel", "kernel " + modules.kernel().version()
                    + " has neither as a module nor built in " + missing + ", which " + describe(medium)
                    + " needs; set <kernel>linux-image-amd64</kernel> (Debian's generic kernel has them)");
        }
        log.debug("system initrd modules for kernel " + modules.kernel().version() + ": " + modules.modules()
                + " (built in: " + modules.builtIn() + ")");

        FileTree initrd = new FileTree();
        for (String dir : List.of("bin", "dev", "proc", "sys", "run", "newroot", "lib/modules")) {
            initrd.add(FileEntry.directory(dir, 0755).withMtime(mtime));
        }
        // the kernel writes early messages and gives /init its stdio through /dev/console
        initrd.add(new FileEntry("dev/console", FileEntry.Type.CHAR_DEVICE, 0600, 0, 0, mtime, null, 5, 1, null));
        initrd.add(FileEntry.file("bin/busybox", 0755, busybox.content()).withMtime(mtime));
        initrd.add(FileEntry.symlink("bin/sh", "busybox").withMtime(mtime));
        resolver.copyInto(initrd, modules, mtime);
        initrd.add(FileEntry.file("init", 0755, initScript(modules.kernel().version())).withMtime(mtime));
        FileTree stamped = new FileTree(); // the directories FileTree created implicitly get the mtime too
        initrd.entries().forEach(e -> stamped.add(e.withMtime(mtime)));
        return stamped;
    }

    private static String describe(RootMedium medium) {
        return medium == RootMedium.ISO ? "an ISO image (<image><format>iso</format>, CD and USB stick)"
                : "a volatile root (<image><volatileRoot>true</volatileRoot>)";
    }

    /** The {@code /init} run by the kernel as PID 1. Only busybox applets, called by absolute path. */
    static String initScript(String kernelVersion) {
        return ShellTemplate.load(SystemInitrd.class, "initrd-init.sh").word("KERNEL_VERSION", kernelVersion).render();
    }
}
