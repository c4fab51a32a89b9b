package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything about one build that is not the system's declaration: where the project and its
 * outputs are, the shared cache, Maven's offline flag and the log. The Maven adapter fills it;
 * tests and benchmarks make their own.
 *
 * @param projectDirectory where the POM is (vm-packages.lock lives there)
 * @param targetDirectory  {@code target/}: final outputs
 * @param cacheDirectory   shared across projects: downloads, indices, project-independent outputs
 * @param outputTimestamp  seconds since the epoch for every file time and image date (reproducibility)
 * @param qemu             {@code <qemu>}: a binary or directory, else found on PATH
 * @param vmTimeout        time limit of each builder VM run
 * @param hangTimeout      a builder VM that prints nothing for this long is taken as hung
 * @param accelerator      auto | kvm | hvf | whpx | tcg
 * @param verifyStore      check every store entry used against its manifest's SHA-256, not only those read to
 *                         build another output ({@code -Dvm.verify=true})
 * @param application      the project's jar and runtime dependencies, when the project has one
 * @param builderKernelArguments appended to every builder VM's kernel command line ({@code -Dvm.builderKernelArguments}):
 *                         diagnostics, which change how builder steps run, never what they make
 */
public record BuildContext(Path projectDirectory, Path targetDirectory, String finalName, Path cacheDirectory,
                           boolean offline, long outputTimestamp, Optional<Path> qemu, Duration vmTimeout, Duration hangTimeout,
                           String accelerator, boolean verifyStore, Optional<ApplicationFiles> application,
                           BuildLog log, List<String> builderKernelArguments) {

    public BuildContext {
        builderKernelArguments = List.copyOf(builderKernelArguments);
    }

    /** A context whose builder VMs boot with the plugin's kernel command line only. */
    public BuildContext(Path projectDirectory, Path targetDirectory, String finalName, Path cacheDirectory,
                        boolean offline, long outputTimestamp, Optional<Path> qemu, Duration vmTimeout,
                        Duration hangTimeout, String accelerator, boolean verifyStore,
                        Optional<ApplicationFiles> application, BuildLog log) {
        this(projectDirectory, targetDirectory, finalName, cacheDirectory, offline, outputTimestamp, qemu, vmTimeout,
                hangTimeout, accelerator, verifyStore, application, log, List.of());
    }

    /** {@code target/vm}: the project's own store, logs and scratch space. */
    public Path workDirectory() {
        return targetDirectory.resolve("vm");
    }

    public Path lockFile() {
        return projectDirectory.resolve("vm-packages.lock");
    }

    /**
     * The project's artifact and its runtime-scope dependency jars, as resolved by Maven.
     *
     * @param localRepository Maven's local repository, where most dependencies are (one 9p share reaches them all)
     */
    public record ApplicationFiles(Path jar, List<Path> dependencies, Optional<Path> localRepository) {
        public ApplicationFiles {
            dependencies = List.copyOf(dependencies);
        }
    }
}
