package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.configure.ConfigureFailure;
import dev.vmforge.configure.ConfigureScript;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.DebUnpacker;
import dev.vmforge.fs.DpkgDatabase;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TarReader;
import dev.vmforge.fs.TarWriter;
import dev.vmforge.fs.UnpackedPackage;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Store;
import dev.vmforge.vm.BuilderVm;
import dev.vmforge.vm.BuilderVmRequest;
import dev.vmforge.vm.BuilderVmResult;
import dev.vmforge.vm.DiskFormat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The configure derivation: the system's packages (all but the kernel) unpacked, then configured by dpkg
 * inside the builder VM when any of them has maintainer scripts ({@link ConfigureScript}); its output is
 * the configured root as a tar in the shared store, keyed by the packages, the time stamp, the script and
 * the builder. build-image, build-docker-image and run-vm-script all start from it, so the VM and the
 * container hold the same configured system, and a change to the POM's services, files or application
 * does not run it again.
 */
final class ConfigureStep {
    static final String OUTPUT = "system.tar";
    /** Room for what configuration adds (caches, keystores, alternatives) over the unpacked tree. */
    private static final long MIB = 1024 * 1024;

    private final BuildContext context;
    private final Store sharedStore;
    private final BuildLog log;

    /** What the last realize did, for benchmarks: null after a cache hit. */
    BuilderVmResult lastRun;
    boolean lastBuilt;

    ConfigureStep(BuildContext context, Store sharedStore) {
        this.context = context;
        this.sharedStore = sharedStore;
        this.log = context.log();
    }

    /** The packages of the closure that go into the configured tree: all but the kernel. */
    static List<ResolvedPackage> systemPackages(ResolvedClosure closure) {
        return closure.packages().stream().filter(p -> !SystemTree.isKernel(p.name())).toList();
    }

    static DerivationKey key(ResolvedClosure closure, long timestamp, DerivationKey builderKey) {
        DerivationKey.Builder key = DerivationKey.builder("configured-system").add("time", timestamp)
                .add("script", ConfigureScript.text(List.of(), 0)).add("builder", builderKey);
        systemPackages(closure).forEach(p -> key.add(p.name(), p.sha256()));
        return key.build();
    }

    /**
     * Returns the configured system tar, building it when the store lacks it.
     *
     * @param debs    every .deb of the closure (downloaded only when the step runs)
     * @param builder the builder VM's boot files (made only when a package has maintainer scripts)
     */
    Path realize(ResolvedClosure closure, DerivationKey builderKey, Supplier<Map<ResolvedPackage, Path>> debs,
                 Supplier<BuilderEnvironment.BootFiles> builder, Supplier<BuilderVm> vm) {
        return realize(key(closure, context.outputTimestamp(), builderKey), () -> {
            Map<ResolvedPackage, Path> files = debs.get();
            List<Path> system = new ArrayList<>();
            for (ResolvedPackage p : systemPackages(closure)) {
                system.add(files.get(p));
            }
            return system;
        }, builder, vm);
    }

    /** The same for a given list of .deb files (in unpack order) under a given key. */
    Path realize(DerivationKey key, Supplier<List<Path>> systemDebs, Supplier<BuilderEnvironment.BootFiles> builder,
                 Supplier<BuilderVm> vm) {
        lastRun = null;
        try (Step step = Step.start(log, "Configuring packages")) {
            Store.Result result = sharedStore.realize(key, "configured",
                    out -> build(systemDebs.get(), out, builder, vm, step));
            lastBuilt = result.built();
            if (!result.built()) {
                step.outcome("up to date");
            }
            return result.path().resolve(OUTPUT);
        }
    }

    /** Reads a configured system tar back (contents stay in the file). */
    static FileTree read(Path systemTar) {
        try {
            return TarReader.read(systemTar);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configured system " + systemTar, e);
        }
    }

    private void build(List<Path> debs, Path out, Supplier<BuilderEnvironment.BootFiles> builder,
                       Supplier<BuilderVm> vm, Step step) throws IOException {
        Files.createDirectories(out);
        FileTree tree = new FileTree();
        List<UnpackedPackage> unpacked = DebUnpacker.unpack(debs, tree);
        boolean scripts = debs.stream().anyMatch(MaintainerScripts::hasScripts);
        if (!scripts) {
            DpkgDatabase.add(tree, unpacked, DpkgDatabase.Status.INSTALLED);
            writeTar(tree, out.resolve(OUTPUT));
            step.outcome("no maintainer scripts");
            return;
        }
        if (!tree.resolve("usr/bin/dpkg").isPresent()) {
            throw new BuildException("packages with maintainer scripts need dpkg in the system to configure them,"
                    + " but it is missing: use <operatingSystem><base>auto</base> (or essential)");
        }
        DpkgDatabase.add(tree, unpacked, DpkgDatabase.Status.UNPACKED);
        Path work = context.workDirectory().resolve("tmp");
        Files.createDirectories(work);
        Path input = work.resolve("configure-input.tar");
        try {
            writeTar(tree, input);
            long treeMiB = Files.size(input) / MIB + 1;
            BuilderVmRequest request = request(builder.get(), ConfigureScript.preinstOrder(unpacked), treeMiB, input,
                    out.resolve(OUTPUT), work);
            BuilderVmResult run = vm.get().run(request);
            lastRun = run;
            String result = readResult(run.xchgDirectory());
            if (!result.equals("ok")) {
                Path output = run.xchgDirectory().resolve(ConfigureScript.OUTPUT_FILE);
                String text = Files.isRegularFile(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
                throw ConfigureFailure.of(result, text, output);
            }
            step.outcome(unpacked.size() + " packages configured");
        } finally {
            Files.deleteIfExists(input);
        }
    }

    /**
     * The root goes onto a tmpfs (memory is cheap for a short-lived VM, and a tmpfs needs no mkfs); the VM gets
     * that plus room for dpkg and the scripts (a JRE's postinst runs java). The output disk holds the tar.
     */
    BuilderVmRequest request(BuilderEnvironment.BootFiles boot, List<ConfigureScript.Preinst> preinst, long treeMiB,
                             Path input, Path output, Path work) {
        long tmpfsMiB = treeMiB * 3 / 2 + 128;
        int memoryMiB = (int) Math.max(1024, tmpfsMiB + 768);
        long outputBytes = (treeMiB * 5 / 4 + 64) * MIB;
        return BuilderVmRequest.builder("configure", boot.kernel(), boot.initrd(), ConfigureScript.text(preinst, tmpfsMiB))
                .inputDisk(input)
                .outputDisk(output, DiskFormat.RAW, outputBytes)
                .memoryMiB(memoryMiB)
                .timeLimit(context.vmTimeout())
                .logFile(context.workDirectory().resolve("logs").resolve("configure.log"))
                .workDirectory(work)
                .build();
    }

    private static String readResult(Path xchg) throws IOException {
        Path file = xchg.resolve(ConfigureScript.RESULT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new BuildException("the configure step left no result in " + xchg + "; see its build.log there");
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    private void writeTar(FileTree tree, Path file) throws IOException {
        try (OutputStream tar = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            new TarWriter(context.outputTimestamp()).withPrefix("./").write(tree, tar);
        }
    }
}
