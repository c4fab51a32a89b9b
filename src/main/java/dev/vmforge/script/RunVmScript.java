package dev.vmforge.script;

import dev.vmforge.BuildException;
import dev.vmforge.os.VmSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes {@code run-vm.sh} (Guix's shared-store VM script): it boots the system's kernel and initrd on a
 * throw-away (or persistent) overlay of the cached root disk, with the configured 9p shares, forwarded ports and
 * the application read from the host. See {@link RunVmScriptText} for what the script does at run time.
 *
 * <p>Files written into the output directory ({@code target/vm}), each atomically:
 * <ul>
 *   <li>{@value #SCRIPT_NAME}, executable;</li>
 *   <li>{@value #PROBE_FIRMWARE_NAME}, the accelerator probe's firmware, when one is given;</li>
 *   <li>{@code app/bin/NAME}, the application's launcher, when there is an application.</li>
 * </ul>
 */
public final class RunVmScript {
    public static final String SCRIPT_NAME = "run-vm.sh";
    static final String PROBE_FIRMWARE_NAME = "accel-probe.rom";
    static final String PERSISTENT_OVERLAY_NAME = "persistent-disk.qcow2";
    static final String APPLICATION_DIRECTORY = "app";
    /** With {@code <fullBoot>}, the {@code vmforge.share=} arguments are in this fw_cfg file (opt/ is for users). */
    public static final String FW_CFG_SHARES = "opt/dev.vmforge/cmdline";
    /** x86 Linux truncates longer kernel command lines (COMMAND_LINE_SIZE, including the final NUL). */
    static final int MAX_KERNEL_COMMAND_LINE = 2047;
    /**
     * Each share is a PCI device; the pc machine has 32 slots, of which the host bridge, ISA bridge, VGA, the
     * network card, the disk and the random number generator take six, and some are left for the user's options.
     */
    static final int MAX_SHARES = 20;

    private RunVmScript() {
    }

    /**
     * Writes the script and its companion files into {@code outputDirectory}.
     *
     * @return the script's path
     * @throws BuildException when a share's source is gone, the application's jars are missing, a share target
     *                        cannot go on the kernel command line, or there are too many shares
     */
    public static Path write(RunVmScriptSpec spec, Path outputDirectory) {
        Path directory = outputDirectory.toAbsolutePath().normalize();
        ShareTags tags = new ShareTags();
        List<NinePShare> shares = new ArrayList<>(userShares(spec.vm(), tags));
        Optional<ApplicationShares> application = spec.application().map(app ->
                ApplicationShares.plan(app, directory.resolve(APPLICATION_DIRECTORY), tags));
        application.ifPresent(app -> shares.addAll(app.shares()));
        if (shares.size() > MAX_SHARES) {
            throw new BuildException(shares.size() + " 9p shares are needed (<vm><shares> and the application's jar"
                    + " directories), more than the " + MAX_SHARES + " QEMU's pc machine has PCI slots for: share"
                    + " fewer directories, or pass the local Maven repository so dependencies need one share");
        }
        String kernelArgs = kernelArguments(spec, shares);
        try {
            Files.createDirectories(directory);
            Optional<Path> probe = spec.acceleratorProbe().map(p -> directory.resolve(PROBE_FIRMWARE_NAME));
            if (probe.isPresent()) {
                writeAtomically(probe.get(), spec.acceleratorProbe().get().image(), false);
            }
            if (application.isPresent()) {
                Path bin = directory.resolve(APPLICATION_DIRECTORY).resolve("bin");
                Files.createDirectories(bin);
                writeAtomically(bin.resolve(application.get().launcherName()),
                        application.get().launcherText().getBytes(StandardCharsets.UTF_8), true);
            }
            Optional<Path> overlay = spec.vm().persistent()
                    ? Optional.of(directory.resolve(PERSISTENT_OVERLAY_NAME)) : Optional.empty();
            String text = new RunVmScriptText(spec, shares, kernelArgs, overlay, probe, application).render();
            Path script = directory.resolve(SCRIPT_NAME);
            writeAtomically(script, text.getBytes(StandardCharsets.UTF_8), true);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + directory.resolve(SCRIPT_NAME), e);
        }
    }

    /** What the Maven goal prints after writing the script. */
    public static String howToRun(Path script, VmSpec vm) {
        return "Run the system with: " + script + (vm.graphic() ? "" : " (quit with Ctrl-a x)")
                + "; VM_ACCEL=tcg forces software emulation, arguments are passed on to QEMU";
    }

    /** {@code <vm><shares>}, re-checked: a source may have been removed since the POM was read. */
    private static List<NinePShare> userShares(VmSpec vm, ShareTags tags) {
        List<NinePShare> shares = new ArrayList<>();
        for (int i = 0; i < vm.shares().size(); i++) {
            VmSpec.Share share = vm.shares().get(i);
            String element = "<vm><shares><share> #" + (i + 1);
            Path source = share.source().toAbsolutePath().normalize();
            if (!Files.isDirectory(source)) {
                throw new BuildException(element + ": the source " + source + " is not a directory (any more):"
                        + " create it or change <source>");
            }
            requireKernelWord(element + " <target>", share.target());
            shares.add(new NinePShare(source, tags.tagFor(source), share.target(), share.writable()));
        }
        return shares;
    }

    private static String kernelArguments(RunVmScriptSpec spec, List<NinePShare> shares) {
        StringBuilder args = new StringBuilder(spec.kernelCommandLine().strip());
        spec.application().ifPresent(app -> requireKernelWord("<application><directory>", app.directory()));
        for (NinePShare share : shares) {
            args.append(args.isEmpty() ? "" : " ").append(share.kernelArgument());
        }
        if (!spec.vm().fullBoot() && args.length() > MAX_KERNEL_COMMAND_LINE) {
            throw new BuildException("the kernel command line would be " + args.length() + " bytes, more than the "
                    + MAX_KERNEL_COMMAND_LINE + " Linux reads: shorten <kernelArguments>, or share fewer"
                    + " directories (<vm><shares>)");
        }
        return args.toString();
    }

    /**
     * The guest's init splits its command line at blanks and does not unquote, and reads TAG:TARGET[:ro]: one word,
     * no quotes, backslashes or ':' (the POM's reader refuses them first, naming the element).
     */
    private static void requireKernelWord(String element, String path) {
        if (!path.matches("[^\\s\"'\\\\:]+")) {
            throw new BuildException(element + " '" + path + "' has a blank, a quote, a backslash or a ':', which the"
                    + " kernel command line cannot carry to the guest's init: choose a path without them");
        }
    }

    private static void writeAtomically(Path file, byte[] content, boolean executable) throws IOException {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(temporary, content);
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            temporary.toFile().setExecutable(executable, false); // not a POSIX file system (Windows)
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
