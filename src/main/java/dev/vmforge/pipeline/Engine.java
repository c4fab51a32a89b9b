package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.Step;
import dev.vmforge.app.ApplicationTree;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.os.Application;
import dev.vmforge.os.DockerPushSpec;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.launch.BootableSystem;
import dev.vmforge.launch.RunningVm;
import dev.vmforge.launch.RunningVms;
import dev.vmforge.launch.VmLauncher;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.StartSpec;
import dev.vmforge.os.VmSpec;
import dev.vmforge.registry.CredentialSource;
import dev.vmforge.registry.PushResult;
import dev.vmforge.script.RunVmScript;
import dev.vmforge.script.RunVmScriptSpec;
import dev.vmforge.store.Realizer;
import dev.vmforge.store.Store;
import dev.vmforge.store.Substitutes;
import dev.vmforge.vm.Accelerator;
import dev.vmforge.vm.AcceleratorProbe;
import dev.vmforge.vm.BuilderVm;
import dev.vmforge.vm.DiskFormat;
import dev.vmforge.vm.QemuImg;
import dev.vmforge.vm.QemuInstallation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The goals as graphs of derivations. A goal resolves its packages (or reads the lock file), lays out the
 * derivations of its output, and realizes the last one: whatever the store already has, with the same key, is not
 * built again. The graph of every goal:
 * <pre>
 *   packages ──► BuilderEnvironment ──► ConfiguredSystem ─┬─► RootFileSystem ──► SystemImage ─┐
 *   kernel package ─────────────────────────────────────-─┘    (+ builder)                    ├─► DiskImage
 *   application jars ──► ApplicationPartition (its size sizes the SystemImage's slot) ───────┘
 *
 *   ConfiguredSystem ──► ContainerLayer.SystemLayer ─┬─► DockerImage
 *   application jars ──► ContainerLayer.ApplicationLayer ─┘
 * </pre>
 * {@code vm:build-image} publishes the DiskImage to {@code target/}; {@code vm:run-vm-script} boots the same chain's
 * RootFileSystem kernel and initrd on its SystemImage (or DiskImage, when the application cannot come over 9p).
 */
public final class Engine implements AutoCloseable {
    private final BuildContext context;
    private final BuildLog log;
    private final DebianArchive archive;
    private final PackageSelection packages;
    private final Store projectStore;
    private final Realizer realizer;
    private final Tools tools;
    private final GoalInCache goal;

    public Engine(BuildContext context) {
        this(context, Substitutes.NONE);
    }

    /** @param substitutes where substitutable outputs are fetched from before they are built, and published to */
    public Engine(BuildContext context, Substitutes substitutes) {
        this.context = context;
        this.log = context.log();
        this.goal = GoalInCache.start(context.cacheDirectory(), log);
        this.archive = new DebianArchive(context.cacheDirectory(), context.offline(), log);
        this.packages = new PackageSelection(archive, log);
        this.projectStore = new Store(context.workDirectory().resolve("store"), log);
        this.realizer = new Realizer(new Store(context.cacheDirectory().resolve("store"), log), projectStore, log,
                context.verifyStore(), context.offline() ? Substitutes.NONE : substitutes);
        this.tools = new Tools(context, new PackageFiles(archive, log), memoize(this::builderVm), memoize(this::qemuImg));
        Scratch.removeStale(context, log);
    }

    /**
     * Ends the goal: the project's store drops the outputs of earlier configurations this goal's outputs replace,
     * and the shared cache learns that the goal no longer runs (what it used stays until vm:gc finds it unused).
     */
    @Override
    public void close() {
        realizer.recordUse();
        goal.end(projectStore);
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

    /**
     * {@code vm:build-image}: returns {@code target/FINALNAME.qcow2} (or {@code .img}), with its SHA-256 beside it
     * ({@code .qcow2.sha256}) and in the goal's last line: the same inputs give the same bytes.
     */
    public Path buildImage(OperatingSystem declared, ImageSpec image) {
        SystemGraph graph = graph(declared);
        DiskImage disk = graph.diskImage(image, graph.applicationPartition());
        Path result = realizer.publish(disk, target("." + image.format().extension()), stamps());
        String sha256 = ChecksumFile.write(result, stamps());
        log.info("Disk image: " + result + " SHA-256 " + sha256 + " (in " + result.getFileName() + ".sha256)");
        return result;
    }

    /** {@code vm:build-docker-image}: returns {@code target/FINALNAME-docker.tar} (or {@code -oci.tar}). */
    public Path buildDockerImage(OperatingSystem declared, DockerSpec docker) {
        DockerImage image = graph(declared).dockerImage(docker);
        Path result = realizer.publish(image, target(image.suffix()), stamps());
        log.info("Docker image: " + result + " (load it with: podman load -i " + result + ")");
        return result;
    }

    /**
     * {@code vm:push-docker-image}: builds the tarball as {@link #buildDockerImage} does when it is out of date, then
     * pushes it to the registry in {@code <docker><name>}, with credentials from {@code settings} first (Maven's
     * settings.xml), then docker's and podman's files.
     */
    public PushResult pushDockerImage(OperatingSystem declared, DockerSpec docker, DockerPushSpec push,
                                      CredentialSource settings) {
        DockerImagePush pusher = new DockerImagePush(context);
        pusher.checkOnline(docker);
        return pusher.push(buildDockerImage(declared, docker), docker, push, settings);
    }

    /**
     * {@code vm:challenge}: builds every substitutable output of {@code vm:build-image} and
     * {@code vm:build-docker-image} here, in a store of its own under {@code target/vm/challenge} (never from
     * substitutes), and compares each with the registry's signed one.
     *
     * @return the mismatches, each on a line; empty when every output the registry has is the same
     */
    public List<String> challenge(OperatingSystem declared, ImageSpec image, DockerSpec docker, Challenge.Registry registry) {
        SystemGraph graph = graph(declared);
        realizer.key(graph.diskImage(image, graph.applicationPartition()));
        realizer.key(graph.dockerImage(docker));
        Path root = context.workDirectory().resolve("challenge");
        Realizer local = new Realizer(new Store(root.resolve("shared"), log), new Store(root.resolve("project"), log),
                log, false, Substitutes.NONE);
        return new Challenge(local, registry, log).run(realizer.substitutable(), realizer::key);
    }

    /**
     * {@code vm:run-vm-script}: {@code target/vm/run-vm.sh} booting the system's kernel and initrd on its disk in the
     * store. The application comes from the host over 9p when the kernel has 9p, else in the disk's partition.
     */
    public Path writeRunScript(OperatingSystem declared, VmSpec vm, ImageSpec image) {
        // Debian's cloud kernel has no 9p: shares cannot work, and the application goes into the disk instead
        boolean kernelHas9p = !declared.kernel().contains("cloud");
        if (!vm.shares().isEmpty() && !kernelHas9p) {
            throw new BuildException("<vm><shares> reach the guest over 9p, which " + declared.kernel()
                    + " lacks: set <operatingSystem><kernel>linux-image-amd64</kernel>");
        }
        boolean applicationFromHost = declared.application().isPresent() && kernelHas9p;
        if (declared.application().isPresent() && !kernelHas9p) {
            log.warn("The application is copied into the VM's disk: " + declared.kernel() + " has no 9p to read it"
                    + " from the host, so a code change needs this goal again. For mvn package + re-run, set"
                    + " <operatingSystem><kernel>linux-image-amd64</kernel>");
        }
        DirectBoot boot = directBoot(declared, image, !applicationFromHost);
        Optional<RunVmScriptSpec.ApplicationSpec> application = applicationFromHost
                ? Optional.of(hostApplication(declared.application().get())) : Optional.empty();
        QemuInstallation qemu = QemuInstallation.locate(context.qemu().orElse(null));
        Path script = RunVmScript.write(new RunVmScriptSpec(declared.hostName(), boot.rootfs().kernel(),
                boot.rootfs().initrd(), boot.disk(), boot.kernelCommandLine(), vm, application,
                qemu.systemEmulator().toString(), qemu.imageTool().toString(),
                Optional.of(RunVmScriptSpec.ProbeFirmware.standard())), context.workDirectory());
        log.info(RunVmScript.howToRun(script, vm));
        return script;
    }

    /** What a directly booted system needs: its kernel and initrd, its disk in the store, the kernel's arguments. */
    private record DirectBoot(RootFileSystem.Output rootfs, Path disk, String kernelCommandLine) {
    }

    /**
     * The chain of {@code vm:build-image} in qcow2, stopped before {@code target/}: the root file system's kernel and
     * initrd, and the system image (with the application partition written in when {@code applicationInDisk}).
     */
    private DirectBoot directBoot(OperatingSystem declared, ImageSpec image, boolean applicationInDisk) {
        SystemGraph graph = graph(declared);
        DiskImage disk = graph.diskImage(image.withFormat(ImageSpec.Format.QCOW2),
                applicationInDisk ? graph.applicationPartition() : Optional.empty());
        RootFileSystem.Output rootfs = realizer.realize(disk.system().rootfs());
        SystemImage.Output system = realizer.realize(disk.system());
        Path file = disk.application().isPresent() ? realizer.realize(disk) : system.disk();
        return new DirectBoot(rootfs, file, system.kernelCommandLine());
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
        DirectBoot direct = directBoot(declared, image, true);
        return new BootableSystem.KernelBoot(direct.rootfs().kernel(), direct.rootfs().initrd(), direct.disk(),
                DiskFormat.QCOW2, direct.kernelCommandLine());
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

    /** The derivations every goal's system is made of, laid out from the resolved packages; nothing built yet. */
    private SystemGraph graph(OperatingSystem declared) {
        ResolvedClosure closure = selectPackages(declared);
        ResolvedClosure builder = resolveBuilder(closure);
        archive.recordUse(closure.packages());
        archive.recordUse(builder.packages());
        return SystemGraph.of(declared, closure, builder, applicationTree(declared), context.outputTimestamp(),
                realizer, tools);
    }

    private ResolvedClosure selectPackages(OperatingSystem os) {
        try (Step step = Step.start(log, "Resolving packages")) {
            ResolvedClosure closure = packages.select(os, context.lockFile());
            step.outcome(closure.packages().size() + " packages"
                    + (Files.isRegularFile(context.lockFile()) ? " from vm-packages.lock" : ""));
            return closure;
        }
    }

    /** The builder VM's packages, from the same sources as the system's. */
    private ResolvedClosure resolveBuilder(ResolvedClosure system) {
        try (Step step = Step.start(log, "Resolving builder VM packages")) {
            ResolvedClosure closure = BuilderPackages.resolve(archive, system.sources());
            step.outcome(closure.packages().size() + " packages");
            return closure;
        }
    }

    /** The {@code <application>} tree (project jar, runtime dependencies, launcher), or empty without one. */
    private Optional<ApplicationTree> applicationTree(OperatingSystem os) {
        return os.application().map(app -> {
            BuildContext.ApplicationFiles files = projectJar();
            return ApplicationTree.of(app, files.jar(), files.dependencies(), context.outputTimestamp());
        });
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
        return new RunVmScriptSpec.ApplicationSpec(app.name(), app.directory(), files.jar(), files.dependencies(),
                files.localRepository().filter(Files::isDirectory), ApplicationTree.mainClass(app, files.jar()),
                app.jvmArguments());
    }

    /** {@code target/FINALNAME} + suffix. */
    private Path target(String suffix) {
        return context.targetDirectory().resolve(context.finalName() + suffix);
    }

    /** Where the stamps of the files written to {@code target/} are kept. */
    private Path stamps() {
        return context.workDirectory().resolve("published");
    }

    private QemuImg qemuImg() {
        return new QemuImg(QemuInstallation.locate(context.qemu().orElse(null)));
    }

    private BuilderVm builderVm() {
        QemuInstallation qemu = QemuInstallation.locate(context.qemu().orElse(null));
        return new BuilderVm(qemu, accelerator(qemu), log, context.builderKernelArguments());
    }

    private VmLauncher vmLauncher() {
        QemuInstallation qemu = QemuInstallation.locate(context.qemu().orElse(null));
        return new VmLauncher(qemu, accelerator(qemu), log);
    }

    private Accelerator accelerator(QemuInstallation qemu) {
        return new AcceleratorProbe(qemu, log, context.cacheDirectory()).resolve(Accelerator.parse(context.accelerator()));
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

    static String humanSize(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
