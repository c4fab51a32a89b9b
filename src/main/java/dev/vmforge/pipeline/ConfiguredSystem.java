package dev.vmforge.pipeline;

import dev.vmforge.BuildException;
import dev.vmforge.configure.ConfigureFailure;
import dev.vmforge.configure.ConfigureScript;
import dev.vmforge.configure.DpkgLogTimes;
import dev.vmforge.configure.JavaKeystores;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.fs.DiskSpace;
import dev.vmforge.fs.DpkgDatabase;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TarReader;
import dev.vmforge.fs.TarWriter;
import dev.vmforge.fs.UnpackedPackage;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.Inputs;
import dev.vmforge.store.Realizer;
import dev.vmforge.vm.BuilderVmRequest;
import dev.vmforge.vm.BuilderVmResult;
import dev.vmforge.vm.DiskFormat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The system's packages (all but the kernel) unpacked, then configured by dpkg inside the builder VM when any of
 * them has maintainer scripts ({@link ConfigureScript}): the configured root as a tar, in the shared store.
 * build-image, build-docker-image and run-vm-script all start from it, so the VM and the container hold the same
 * configured system, and a change to the POM's services, files or application does not run it again.
 *
 * @param packages the system's packages without the kernel, in unpack order
 * @param builder  the builder VM, booted only when a package has maintainer scripts
 * @param time     every file's time (the tar's mtimes)
 */
record ConfiguredSystem(ResolvedClosure packages, BuilderEnvironment builder, long time, Tools tools)
        implements Derivation<Path> {
    static final String OUTPUT = "system.tar";
    /** dpkg's line as it configures a package: one unit of the step's progress. */
    private static final Pattern DPKG_SETTING_UP = Pattern.compile("^Setting up ([^ ]+) \\(");
    private static final long MIB = 1024 * 1024;

    @Override
    public String name() {
        return "configured";
    }

    @Override
    public String title() {
        return "Configuring packages";
    }

    /** Its build runs the maintainer scripts in a builder VM (minutes under TCG): worth fetching from substitutes. */
    @Override
    public boolean substitutable() {
        return true;
    }

    @Override
    public Location location() {
        return Location.SHARED;
    }

    @Override
    public void declare(Inputs inputs) {
        BuilderEnvironment.declarePackages(inputs, "packages", packages);
        inputs.derivation("builder", builder).number("time", time);
    }

    @Override
    public String build(Path out, Realizer realizer) throws IOException, InterruptedException {
        FileTree tree = new FileTree();
        List<UnpackedPackage> unpacked = tools.packages().unpack(packages, tree);
        boolean scripts = unpacked.stream().anyMatch(p -> MaintainerScripts.hasScripts(p.deb()));
        Path tar = out.resolve(OUTPUT);
        if (!scripts) {
            DpkgDatabase.add(tree, unpacked, DpkgDatabase.Status.INSTALLED);
            writeTar(tree, tar);
            return "no maintainer scripts";
        }
        if (tree.resolve("usr/bin/dpkg").isEmpty()) {
            throw new BuildException("packages with maintainer scripts need dpkg in the system to configure them,"
                    + " but it is missing: use <operatingSystem><base>auto</base> (or essential)");
        }
        DpkgDatabase.add(tree, unpacked, DpkgDatabase.Status.UNPACKED);
        BuilderEnvironment.BootFiles boot = realizer.input(builder);
        try (Scratch scratch = Scratch.create(tools.context(), "configure")) {
            Path input = scratch.path().resolve("configure-input.tar");
            writeTar(tree, input);
            long treeMiB = Files.size(input) / MIB + 1;
            DiskSpace.require(out, treeMiB * 5 / 4 * MIB, "the configured system");
            Path logFile = tools.logFile("configure-" + realizer.key(this).shortHex());
            BuilderVmResult run = tools.builderVm().get().run(request(boot, ConfigureScript.preinstOrder(unpacked),
                    unpacked.size(), treeMiB, input, tar, scratch.path(), logFile));
            keepDpkgLogs(run.xchgDirectory(), realizer.key(this).shortHex());
            String result = readResult(run.xchgDirectory());
            if (!result.equals("ok")) {
                Path output = run.xchgDirectory().resolve(ConfigureScript.OUTPUT_FILE);
                String text = Files.isRegularFile(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
                Path kept = tools.logFile("configure-" + realizer.key(this).shortHex() + "-output");
                Files.writeString(kept, text, StandardCharsets.UTF_8); // the scratch folder goes
                throw ConfigureFailure.of(result, text, kept);
            }
        }
        // the guest wrote the tar onto a raw disk: keep the tar, not the zeros after it
        try (RandomAccessFile file = new RandomAccessFile(tar.toFile(), "rw")) {
            file.setLength(TarReader.archiveLength(tar));
        }
        normalize(tar, out);
        return unpacked.size() + " packages configured";
    }

    @Override
    public Path read(Path out) {
        return out.resolve(OUTPUT);
    }

    /** Reads a configured system tar back (contents stay in the file, which must stay unchanged). */
    static FileTree tree(Path systemTar) throws IOException {
        return TarReader.read(systemTar);
    }

    /**
     * The root goes onto a tmpfs (memory is cheap for a short-lived VM, and a tmpfs needs no mkfs); the VM gets
     * that plus room for dpkg and the scripts (a JRE's postinst runs java). The output disk holds the tar.
     */
    BuilderVmRequest request(BuilderEnvironment.BootFiles boot, List<ConfigureScript.Preinst> preinst, int packages,
                             long treeMiB, Path input, Path output, Path work, Path logFile) {
        long tmpfsMiB = treeMiB * 3 / 2 + 128;
        int memoryMiB = (int) Math.max(1024, tmpfsMiB + 768);
        long outputBytes = (treeMiB * 5 / 4 + 64) * MIB;
        return BuilderVmRequest.builder("configure", boot.kernel(), boot.initrd(),
                        ConfigureScript.text(preinst, tmpfsMiB, time))
                .inputDisk(input)
                .outputDisk(output, DiskFormat.RAW, outputBytes)
                .memoryMiB(memoryMiB)
                .progress(DPKG_SETTING_UP, packages)
                .timeLimit(tools.context().vmTimeout())
                .silenceLimit(tools.context().hangTimeout())
                .logFile(logFile)
                .workDirectory(work)
                .build();
    }

    /**
     * Rewrites the guest's tar as {@link TarWriter} writes every tar: entries in path order, every time the build's
     * timestamp. The guest's tar holds the times its clock gave the files the scripts wrote, which differ from run
     * to run; no later step reads those times. Java keystores the scripts wrote get fixed entry dates.
     */
    private void normalize(Path tar, Path out) throws IOException {
        Path normalized = out.resolve(OUTPUT + ".normalized");
        FileTree tree = TarReader.read(tar);
        JavaKeystores.normalize(tree, time, tools.log());
        writeTar(tree, normalized);
        Files.move(normalized, tar, StandardCopyOption.REPLACE_EXISTING);
    }

    /** dpkg's logs of the run (moved out of the system by the guest), kept beside the builder VM's log. */
    private void keepDpkgLogs(Path xchg, String key) throws IOException {
        for (String log : ConfigureScript.DPKG_LOGS) {
            Path file = xchg.resolve(log);
            if (Files.isRegularFile(file)) {
                String name = log.substring(0, log.length() - ".log".length());
                Files.copy(file, tools.logFile("configure-" + key + "-" + name), StandardCopyOption.REPLACE_EXISTING);
                if (log.equals("dpkg.log") && tools.log().isDebugEnabled()) {
                    logConfigureTimes(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }
    }

    /** With -X: each package's configure time (and trigger runs), as dpkg logged them, in its order. */
    private void logConfigureTimes(String dpkgLog) {
        List<DpkgLogTimes.Action> actions = DpkgLogTimes.parse(dpkgLog);
        StringBuilder text = new StringBuilder("Configure times (dpkg's log, to the second): "
                + actions.stream().mapToLong(DpkgLogTimes.Action::seconds).sum() + " s for " + actions.size()
                + " actions");
        actions.forEach(a -> text.append(String.format("%n  %4d s  %s", a.seconds(), a.what())));
        tools.log().debug(text.toString());
    }

    private static String readResult(Path xchg) throws IOException {
        Path file = xchg.resolve(ConfigureScript.RESULT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new BuildException("the configure step left no result; see the builder VM's log");
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    private void writeTar(FileTree tree, Path file) throws IOException {
        try (OutputStream tar = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            new TarWriter(time).withPrefix("./").write(tree, tar);
        }
    }
}
