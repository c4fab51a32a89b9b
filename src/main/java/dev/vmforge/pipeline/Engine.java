package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.app.ApplicationLayer;
import dev.vmforge.fs.FileTree;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.os.Application;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.launch.BootableSystem;
import dev.vmforge.launch.RunningVm;
import dev.vmforge.launch.RunningVms;
import dev.vmforge.launch.VmLauncher;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.StartSpec;
import dev.vmforge.os.VmSpec;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Store;
import dev.vmforge.vm.Accelerator;
import dev.vmforge.vm.AcceleratorProbe;
import dev.vmforge.vm.BuilderVm;
import dev.vmforge.vm.DiskFormat;
import dev.vmforge.vm.QemuImg;
import dev.vmforge.vm.QemuInstallation;
import dev.vmforge.script.RunVmScript;
import dev.vmforge.script.RunVmScriptSpec;
import dev.vmforge.image.DiskImagePlan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The derivations wired together, one public method per goal. Everything that can be skipped is:
 * a goal resolves the packages (or reads the lock file), computes the keys, and builds only what
 * the store lacks.
 */
public final class Engine {
    private final BuildContext context;
    private final BuildLog log;
    private final DebianArchive archive;
    private final PackageSelection packages;
    private final Store sharedStore;
    private final Store projectStore;

    public Engine(BuildContext context) {
        this.context = context;
        this.log = context.log();
        this.archive = new DebianArchive(context.cacheDirectory(), context.offline(), log);
        this.packages = new PackageSelection(archive, log);
        this.sharedStore = new Store(context.cacheDirectory().resolve("store"));
        this.projectStore = new Store(context.workDirectory().resolve("store"));
    }

    /** {@code vm:resolve}: prints the closure and writes the lock file. */
    public ResolvedClosure resolveAndLock(OperatingSystem os) {
        ResolvedClosure closure;
        try (Step step = Step.start(log, "Resolving packages")) {
            closure = packages.lock(os, context.lockFile());
            step.outcome(closure.packages().size() + " packages");
        }
        for (ResolvedPackage p : closure.packages()) {
            log.info(String.format(Locale.ROOT, "  %-36s %-32s %-6s %9s", p.name(), p.version(), p.architecture(),
                    humanSize(p.size())));
        }
        log.info(String.format(Locale.ROOT, "  %d packages, %s; wrote %s", closure.packages().size(),
                humanSize(closure.totalSize()), context.lockFile()));
        return closure;
    }

    /** {@code vm:build-image}: returns {@code target/FINALNAME.qcow2} (or {@code .img}). */
    public Path buildImage(OperatingSystem declared, ImageSpec image) {
        SystemInputs system = new SystemInputs(declared);
        DiskImageBuild build = new DiskImageBuild(context, projectStore);
        Optional<DiskImageBuild.ApplicationPartitionFile> application =
                build.applicationPartition(applicationLayer(declared));
        DiskImageBuild.RootFileSystem rootfs = system.rootFileSystem(build, image);
        Path result = build.image(system.os, image, system.key, rootfs, application, system::boot, this::builderVm,
                system.builderPlan.get().key(), this::qemuImg);
        log.info("Disk image: " + result);
        return result;
    }

    /**
     * What every goal starts from: the package closure, the system with its default application service, the
     * system's key, and the builder VM, each step fetched or built only when a derivation needs it.
     */
    private final class SystemInputs {
        final OperatingSystem os;
        final ResolvedClosure closure;
        final DerivationKey key;
        final Supplier<BuilderEnvironment.Plan> builderPlan;
        private final boolean needsJava;
        private final BuilderEnvironment builder = new BuilderEnvironment(archive, packages, sharedStore, log);
        private final Supplier<Map<ResolvedPackage, Path>> systemDebs;
        private final Supplier<Map<ResolvedPackage, Path>> kernelDebs;

        SystemInputs(OperatingSystem declared) {
            closure = selectPackages(declared);
            os = ApplicationLayer.withDefaultService(declared);
            key = DiskImageBuild.systemKey(os, closure, context.outputTimestamp());
            needsJava = declared.application().isPresent();
            builderPlan = memoize(() -> builder.plan(closure.sources()));
            systemDebs = memoize(() -> download(packagesWhere(closure, false)));
            kernelDebs = memoize(() -> download(packagesWhere(closure, true)));
        }

        BuilderEnvironment.BootFiles boot() {
            return builder.realize(builderPlan.get());
        }

        /**
         * The system's packages (all but the kernel) unpacked and configured by dpkg in the builder VM when they
         * have maintainer scripts; cached in the shared store, so every goal gets the same configured system.
         * With an application, fails unless the system has java.
         */
        FileTree configured() {
            ResolvedClosure system = packagesWhere(closure, false);
            Path tar = new ConfigureStep(context, sharedStore).realize(system, builderPlan.get().key(), systemDebs,
                    this::boot, Engine.this::builderVm);
            FileTree tree = ConfigureStep.read(tar);
            if (needsJava) {
                ApplicationLayer.requireJava(tree);
            }
            return tree;
        }

        /** The bootable root file system: configured system, kernel, initrd (the application has its partition). */
        DiskImageBuild.RootFileSystem rootFileSystem(DiskImageBuild build, ImageSpec image) {
            return build.rootFileSystem(os, key, image, this::configured,
                    () -> List.copyOf(kernelDebs.get().values()));
        }
    }

    /** The {@code <application>} tree (project jar, runtime dependencies, launcher), or empty without one. */
    Optional<ApplicationLayer> applicationLayer(OperatingSystem os) {
        if (os.application().isEmpty()) {
            return Optional.empty();
        }
        BuildContext.ApplicationFiles files = projectJar();
        return Optional.of(ApplicationLayer.build(os.application().get(), files.jar(), files.dependencies(),
                context.outputTimestamp()));
    }

    static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    /** {@code vm:build-docker-image}: returns {@code target/FINALNAME-docker.tar} (or {@code -oci.tar}). */
    public Path buildDockerImage(OperatingSystem declared, DockerSpec docker) {
        SystemInputs system = new SystemInputs(declared);
        Path result = new DockerImageBuild(context, projectStore).build(system.os, docker, system.key,
                system::configured, applicationLayer(declared));
        log.info("Docker image: " + result + " (load it with: podman load -i " + result + ")");
        return result;
    }

    /** The project's jar and runtime dependencies, which {@code <application>} needs. */
    private BuildContext.ApplicationFiles projectJar() {
        return context.application().orElseThrow(() -> new BuildException(
                "<application> installs the project's jar, but the project has none: use <packaging>jar</packaging>"
                        + " and run the goal after package (e.g. mvn package vm:build-image), or remove <application>"));
    }

    /** The application as the run-vm script shares it from the host: the project's jar and its dependencies. */
    private RunVmScriptSpec.ApplicationSpec hostApplication(Application app) {
        BuildContext.ApplicationFiles files = projectJar();
        Path repository = Path.of(System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository"));
        return new RunVmScriptSpec.ApplicationSpec(app.name(), app.directory(), files.jar(), files.dependencies(),
                Files.isDirectory(repository) ? Optional.of(repository) : Optional.empty(),
                ApplicationLayer.mainClass(app, files.jar()), app.jvmArguments());
    }

    /** The kernel packages ({@code kernel} true) or all the others, as a closure of their own. */
    private static ResolvedClosure packagesWhere(ResolvedClosure closure, boolean kernel) {
        return new ResolvedClosure(closure.packages().stream().filter(p -> SystemTree.isKernel(p.name()) == kernel)
                .toList(), closure.sources());
    }

    /**
     * {@code vm:run-vm-script}: the system's disk (without the application, which the script shares from the
     * host) in the project store, its kernel and initrd, and {@code target/vm/run-vm.sh} booting them.
     */
    public Path writeRunScript(OperatingSystem declared, VmSpec vm, ImageSpec image) {
        ImageSpec qcow2 = qcow2(image);
        OperatingSystem os = ApplicationLayer.withDefaultService(declared);
        // Debian's cloud kernel has no 9p: shares cannot work, and the application goes into the disk instead
        boolean kernelHas9p = !os.kernel().contains("cloud");
        if (!vm.shares().isEmpty() && !kernelHas9p) {
            throw new BuildException("<vm><shares> reach the guest over 9p, which " + os.kernel()
                    + " lacks: set <operatingSystem><kernel>linux-image-amd64</kernel>");
        }
        boolean applicationFromHost = declared.application().isPresent() && kernelHas9p;
        if (declared.application().isPresent() && !kernelHas9p) {
            log.warn("The application is copied into the VM's disk: " + os.kernel() + " has no 9p to read it from the"
                    + " host, so a code change needs this goal again. For mvn package + re-run, set"
                    + " <operatingSystem><kernel>linux-image-amd64</kernel>");
        }
        Optional<RunVmScriptSpec.ApplicationSpec> application = applicationFromHost
                ? Optional.of(hostApplication(declared.application().get())) : Optional.empty();

        SystemDisk disk = systemDisk(declared, qcow2, !applicationFromHost);
        QemuInstallation qemu = QemuInstallation.locate(context.qemu().orElse(null));
        Path script = RunVmScript.write(new RunVmScriptSpec(os.hostName(), disk.rootfs().kernel(),
                disk.rootfs().initrd(), disk.file(), String.join(" ", disk.plan().grub().commandLine()), vm,
                application, qemu.systemEmulator().toString(), qemu.imageTool().toString(),
                Optional.of(RunVmScriptSpec.ProbeFirmware.standard())), context.workDirectory());
        log.info(RunVmScript.howToRun(script, vm));
        return script;
    }

    /** What a directly booted system needs: its root file system (kernel, initrd) and its disk, in the store. */
    private record SystemDisk(DiskImageBuild.RootFileSystem rootfs, DiskImagePlan plan, Path file) {
    }

    /**
     * The system's qcow2 disk, with the application partition when {@code withApplication} (else the application
     * comes from the host), built or found in the project store.
     */
    private SystemDisk systemDisk(OperatingSystem declared, ImageSpec qcow2, boolean withApplication) {
        OperatingSystem os = ApplicationLayer.withDefaultService(declared);
        SystemInputs system = new SystemInputs(declared);
        DiskImageBuild build = new DiskImageBuild(context, projectStore);
        Optional<DiskImageBuild.ApplicationPartitionFile> inDisk = withApplication
                ? build.applicationPartition(applicationLayer(declared)) : Optional.empty();
        DiskImageBuild.RootFileSystem rootfs = system.rootFileSystem(build, qcow2);
        DiskImagePlan plan = build.plan(os, qcow2, system.key, rootfs,
                inDisk.map(DiskImageBuild.ApplicationPartitionFile::partitionBytes).orElse(0L));
        DiskImageBuild.StoredImage systemImage = build.systemImage(plan, qcow2, rootfs, system::boot, this::builderVm,
                system.builderPlan.get().key());
        return new SystemDisk(rootfs, plan, build.withApplication(systemImage, plan, qcow2, inDisk, this::qemuImg).file());
    }

    private static ImageSpec qcow2(ImageSpec image) {
        return new ImageSpec(ImageSpec.Format.QCOW2, image.sizeBytes(), image.partitionTable(), image.firmware(),
                image.fileSystemType(), image.fileSystemLabel());
    }

    /**
     * What {@code vm:start} and {@code vm:run} boot, built first where out of date: the disk image of
     * {@code vm:build-image}, or the system's kernel and initrd with its disk (the application in its partition).
     */
    public BootableSystem bootableSystem(OperatingSystem declared, ImageSpec image, StartSpec.Boot boot) {
        if (boot == StartSpec.Boot.IMAGE) {
            Path file = buildImage(declared, image);
            return new BootableSystem.DiskImage(file, image.format() == ImageSpec.Format.QCOW2 ? DiskFormat.QCOW2
                    : DiskFormat.RAW, !image.firmware().bios());
        }
        SystemDisk disk = systemDisk(declared, qcow2(image), true);
        return new BootableSystem.KernelBoot(disk.rootfs().kernel(), disk.rootfs().initrd(), disk.file(),
                DiskFormat.QCOW2, String.join(" ", disk.plan().grub().commandLine()));
    }

    /**
     * {@code vm:start}: boots the system in the background (on a leash: it ends with this JVM at the latest) and
     * returns once it is ready.
     *
     * @param build identifies the running build, so that one build cannot start the same VM twice
     */
    public RunningVm startVm(OperatingSystem declared, VmSpec vm, ImageSpec image, StartSpec start, String build) {
        RunningVms.claim(context.workDirectory(), start.id(), build, log);
        VmLauncher.Launch launch = launch(declared, vm, image, start, VmLauncher.Console.FILE);
        return RunningVms.start(vmLauncher(), launch, start, build, log);
    }

    /** {@code vm:stop}: powers off the project's VM {@code id}, or all of them. */
    public int stopVms(Optional<String> id, Duration grace) {
        return RunningVms.stop(context.workDirectory(), id, grace, log);
    }

    /**
     * {@code vm:run}: boots the system with its console on this terminal and returns QEMU's exit status once the
     * user quit (Ctrl-a x) or the guest powered off.
     */
    public int runVm(OperatingSystem declared, VmSpec vm, ImageSpec image, StartSpec start) {
        VmLauncher.Launch launch = launch(declared, vm, image, start, VmLauncher.Console.TERMINAL);
        RunningVm running = vmLauncher().start(launch);
        log.info("VM '" + running.id() + "': running" + RunningVms.describePorts(running.ports())
                + (vm.graphic() ? "; quit by closing its window" : "; the console follows (quit: Ctrl-a x, or Ctrl-C)"));
        try {
            return running.awaitExit();
        } catch (InterruptedException e) {
            running.kill();
            Thread.currentThread().interrupt();
            throw new BuildException("interrupted while VM '" + running.id() + "' ran", e);
        }
    }

    private VmLauncher.Launch launch(OperatingSystem declared, VmSpec vm, ImageSpec image, StartSpec start,
                                     VmLauncher.Console console) {
        if (!vm.shares().isEmpty()) {
            log.warn("<vm><shares> are mounted by run-vm.sh only; vm:start and vm:run do not share host folders");
        }
        BootableSystem system = bootableSystem(declared, image, start.boot());
        return new VmLauncher.Launch(start.id(), declared.hostName(), system, vm, console, context.workDirectory());
    }

    private ResolvedClosure selectPackages(OperatingSystem os) {
        try (Step step = Step.start(log, "Resolving packages")) {
            ResolvedClosure closure = packages.select(os, context.lockFile());
            step.outcome(closure.packages().size() + " packages"
                    + (java.nio.file.Files.isRegularFile(context.lockFile()) ? " from vm-packages.lock" : ""));
            return closure;
        }
    }

    private Map<ResolvedPackage, Path> download(ResolvedClosure closure) {
        try (Step step = Step.start(log, "Downloading packages")) {
            Map<ResolvedPackage, Path> debs = packages.download(closure);
            boolean sizesKnown = closure.packages().stream().allMatch(p -> p.size() >= 0); // a lock file has no sizes
            step.outcome(closure.packages().size() + " packages" + (sizesKnown ? ", " + humanSize(closure.totalSize()) : ""));
            return debs;
        }
    }

    private QemuImg qemuImg() {
        return new QemuImg(QemuInstallation.locate(context.qemu().orElse(null)));
    }

    private BuilderVm builderVm() {
        QemuInstallation qemu = QemuInstallation.locate(context.qemu().orElse(null));
        return new BuilderVm(qemu, accelerator(qemu), log);
    }

    private VmLauncher vmLauncher() {
        QemuInstallation qemu = QemuInstallation.locate(context.qemu().orElse(null));
        return new VmLauncher(qemu, accelerator(qemu), log);
    }

    private Accelerator accelerator(QemuInstallation qemu) {
        return new AcceleratorProbe(qemu, log, context.cacheDirectory()).resolve(Accelerator.parse(context.accelerator()));
    }

    static String humanSize(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
