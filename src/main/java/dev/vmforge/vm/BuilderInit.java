package dev.vmforge.vm;

import dev.vmforge.ShellTemplate;

/**
 * The {@code /init} of the builder initramfs, and the contract between it, the initrd generator and
 * {@link BuilderVm}. The initrd generator includes {@link #script()} as {@code /init} (mode 0755) and provides:
 * <ul>
 *   <li>{@code /bin/busybox}: a static busybox with at least sh, mount, insmod, mkdir, cat, cut, tee, tar, sync,
 *       sleep, poweroff (Debian's busybox-static has them). The init installs the applet links itself.</li>
 *   <li>{@code /lib/modules/load-order}: the kernel modules to load, one per line, each a path relative to
 *       {@code /lib/modules/} (e.g. {@code virtio_blk.ko} or {@code kernel/drivers/block/virtio_blk.ko}), in
 *       dependency order: there is no modprobe. Uncompressed {@code .ko} files: decompress {@code .ko.xz} in Java.
 *       Missing file or empty: nothing is loaded (a kernel with the drivers built in). Modules that fail to load
 *       are reported on the console and skipped (e.g. crc32c-intel on a CPU without SSE4.2).
 *       The builder needs virtio-pci and virtio_blk (for every disk, the exchange disk included) and whatever
 *       file systems the step writes. No 9p: there is no shared folder.</li>
 *   <li>Empty directories {@code /proc /sys /dev /tmp /xchg /mnt} (the init creates them if missing).</li>
 *   <li>The tools the step scripts call, at absolute paths (busybox sh runs its own applets before PATH).</li>
 * </ul>
 * How the exchange folder travels: {@link BuilderVm} boots an initramfs made of a small archive holding the
 * folder as {@code /xchg} (the script {@code build.sh} and the request's small files) followed by this one, so
 * {@code /xchg} is populated in RAM when the init starts; and it attaches a blank raw disk last, named on the kernel
 * command line as {@code builder.xchg-out=/dev/vdX}. What the init does, in order: mounts proc, sysfs, devtmpfs;
 * loads the modules; waits for the exchange disk; runs {@code sh SCRIPT} (SCRIPT from {@code builder.script=},
 * default {@code /xchg/build.sh}) in {@code /xchg} with stdout and stderr to the console and to
 * {@code /xchg/build.log}; writes the script's exit status to {@code /.exit-status}; writes
 * {@code tar -cf DISK xchg .exit-status} (from {@code /}: the folder, then the status, last, so a status on the
 * disk means the whole folder is there); syncs and powers off. If the exchange disk does not appear it powers off
 * without writing it, which the host reports as "the builder VM died". Along the way it prints phase markers
 * {@code BUILD-STEP NAME UPTIME} (init, modules, script-start, script-end, xchg-out); step scripts add their own
 * with {@code build-step NAME}. {@code /xchg} is in RAM: large outputs belong on the output disk.
 */
public final class BuilderInit {
    /** Kernel argument naming the exchange disk the init writes the folder to: {@code builder.xchg-out=/dev/vdX}. */
    public static final String XCHG_OUT_ARGUMENT = "builder.xchg-out=";
    /** The script's name in the exchange folder. */
    public static final String SCRIPT_NAME = "build.sh";
    /** Written by the init with the script's exit status, last on the exchange disk; its absence means the VM died. */
    public static final String EXIT_STATUS_FILE = ".exit-status";
    /** The script's output, also on the serial console. */
    public static final String BUILD_LOG_FILE = "build.log";
    /** Where the initrd generator puts the module list, relative to the initramfs root. */
    public static final String MODULE_LOAD_ORDER = "lib/modules/load-order";
    /**
     * The kernel command line a builder VM boots with (BuilderVm may append more). {@code norandmaps} turns address
     * randomization off: under TCG, QEMU keys its translated code by guest address, so a program whose libraries
     * land elsewhere in every process is translated anew each time it is exec'd. A builder step execs thousands of
     * processes (ca-certificates' update-ca-certificates alone forks some 900); with fixed addresses they reuse
     * one translation, which halves the configure step. The builder runs only verified packages' scripts, offline,
     * in a VM that lives for one step; the systems the plugin builds keep randomization.
     */
    public static final String KERNEL_COMMAND_LINE =
            "console=ttyS0 quiet panic=-1 norandmaps builder.script=/xchg/" + SCRIPT_NAME;
    /** Prefix of phase marker lines on the console: {@code BUILD-STEP name uptime-seconds}. */
    public static final String PHASE_MARKER = "BUILD-STEP";

    /** The {@code /init} text (busybox sh), from {@code builder-init.sh}. */
    public static String script() {
        return ShellTemplate.load(BuilderInit.class, "builder-init.sh").render();
    }

    private BuilderInit() {
    }
}
