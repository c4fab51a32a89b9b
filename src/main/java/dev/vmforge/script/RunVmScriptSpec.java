package dev.vmforge.script;

import dev.vmforge.os.VmSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link RunVmScript} puts into {@code run-vm.sh}.
 *
 * @param systemName         the host name, for messages and the header comment
 * @param kernel             the system's kernel ({@code vmlinuz}), booted directly unless {@code vm.fullBoot()}
 * @param initrd             the system's own initrd
 * @param rootDisk           the cached root disk (qcow2); the script only ever uses it as a backing file
 * @param kernelCommandLine  root=UUID=..., console=ttyS0, panic=-1 and the POM's kernel arguments; the script
 *                           appends one {@code vmforge.share=} per share
 * @param vm                 the validated {@code <vm>} block
 * @param application        the project's jar and dependencies, read from the host over 9p
 * @param qemuSystemEmulator the {@code qemu-system-x86_64} to run: a name looked up on PATH or an absolute path
 * @param qemuImageTool      the {@code qemu-img} to run, likewise
 * @param acceleratorProbe   a firmware that exits QEMU with a known status once it ran in long mode, to tell a
 *                           working KVM from one that hangs guests; empty: trust a usable {@code /dev/kvm}
 */
public record RunVmScriptSpec(String systemName, Path kernel, Path initrd, Path rootDisk, String kernelCommandLine,
                              VmSpec vm, Optional<ApplicationSpec> application, String qemuSystemEmulator,
                              String qemuImageTool, Optional<ProbeFirmware> acceleratorProbe) {
    public RunVmScriptSpec {
        Objects.requireNonNull(systemName, "systemName");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(rootDisk, "rootDisk");
        Objects.requireNonNull(kernelCommandLine, "kernelCommandLine");
        Objects.requireNonNull(vm, "vm");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(qemuSystemEmulator, "qemuSystemEmulator");
        Objects.requireNonNull(qemuImageTool, "qemuImageTool");
        Objects.requireNonNull(acceleratorProbe, "acceleratorProbe");
    }

    /**
     * {@code <application>} as run from the host's files.
     *
     * @param name             the launcher is {@code DIRECTORY/bin/NAME}, as in the disk image (the artifactId)
     * @param directory        the guest directory, {@code <application><directory>} (e.g. {@code /opt/app})
     * @param jar              the project's artifact in {@code target/}
     * @param dependencies     runtime dependency jars in classpath order
     * @param localRepository  Maven's local repository: dependencies below it are reached through one share
     * @param mainClass        already resolved (the POM's, else the jar manifest's)
     */
    public record ApplicationSpec(String name, String directory, Path jar, List<Path> dependencies,
                                  Optional<Path> localRepository, String mainClass, List<String> jvmArguments) {
        public ApplicationSpec {
            dependencies = List.copyOf(dependencies);
            jvmArguments = List.copyOf(jvmArguments);
            Objects.requireNonNull(localRepository, "localRepository");
        }
    }

    /**
     * A {@code -bios} image that proves a hypervisor runs guests: QEMU (with {@code isa-debug-exit} at 0xf4)
     * exits with {@code successExitStatus} when it ran to the end. See {@code dev.vmforge.vm.ProbeFirmware}.
     */
    public record ProbeFirmware(byte[] image, int successExitStatus) {
        public ProbeFirmware {
            image = image.clone();
        }

        /** The firmware the engine's own accelerator probe runs (real mode, protected mode, long mode, exit). */
        public static ProbeFirmware standard() {
            return new ProbeFirmware(dev.vmforge.vm.ProbeFirmware.image(), dev.vmforge.vm.ProbeFirmware.SUCCESS_EXIT_STATUS);
        }

        @Override
        public byte[] image() {
            return image.clone();
        }
    }
}
