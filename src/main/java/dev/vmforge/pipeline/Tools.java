package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.vm.BuilderVm;
import dev.vmforge.vm.QemuImg;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What derivations build with, as opposed to what they build from: none of it changes an output's bytes, so none
 * of it is an input. The QEMU runners are made on first use (finding QEMU and probing the accelerator cost time).
 *
 * @param packages  the download cache, checked as packages are unpacked
 * @param builderVm runs builder VM steps
 * @param qemuImg   converts and composes disk images on the host
 */
record Tools(BuildContext context, PackageFiles packages, Supplier<BuilderVm> builderVm, Supplier<QemuImg> qemuImg) {
    BuildLog log() {
        return context.log();
    }

    /** Where a builder VM step keeps its serial log. */
    Path logFile(String step) {
        return context.workDirectory().resolve("logs").resolve(step + ".log");
    }
}
