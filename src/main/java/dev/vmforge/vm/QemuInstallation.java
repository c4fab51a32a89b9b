package dev.vmforge.vm;

import dev.vmforge.BuildException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code qemu-system-x86_64} and {@code qemu-img} are. The user may point {@code <qemu>} at either binary or at
 * the directory holding them; otherwise they are looked up on {@code PATH} and in the usual install folders.
 */
public record QemuInstallation(Path systemEmulator, Path imageTool) {
    static final String SYSTEM_EMULATOR = "qemu-system-x86_64";
    static final String IMAGE_TOOL = "qemu-img";

    static final String INSTALL_HINT = String.join(System.lineSeparator(),
            "Install QEMU:",
            "  Debian/Ubuntu: sudo apt-get install qemu-system-x86 qemu-utils ovmf",
            "  Fedora:        sudo dnf install qemu-system-x86 qemu-img edk2-ovmf",
            "  macOS:         brew install qemu",
            "  Windows:       winget install SoftwareFreedomConservancy.QEMU (or the installer from qemu.org)",
            "or point the plugin at an installation with <qemu>/path/to/qemu-system-x86_64</qemu> (the binary or its directory).");

    /** Finds QEMU for this host; {@code configured} is the {@code <qemu>} parameter, or null. */
    public static QemuInstallation locate(Path configured) {
        HostOs os = HostOs.current();
        return locate(configured, searchDirectories(System.getenv("PATH"), os), os);
    }

    static QemuInstallation locate(Path configured, List<Path> searched, HostOs os) {
        if (configured != null) {
            return fromConfigured(configured, os);
        }
        for (Path directory : searched) {
            Optional<QemuInstallation> found = inDirectory(directory, os);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new BuildException("QEMU (" + os.executableName(SYSTEM_EMULATOR) + " and " + os.executableName(IMAGE_TOOL)
                + ") was not found on PATH or in " + searched + "." + System.lineSeparator() + INSTALL_HINT);
    }

    private static QemuInstallation fromConfigured(Path configured, HostOs os) {
        Path directory = Files.isDirectory(configured) ? configured : configured.toAbsolutePath().getParent();
        Path emulator = Files.isDirectory(configured) ? directory.resolve(os.executableName(SYSTEM_EMULATOR)) : configured;
        if (!Files.isRegularFile(emulator) || !Files.isExecutable(emulator)) {
            throw new BuildException("<qemu> points at " + configured + ", but no executable "
                    + os.executableName(SYSTEM_EMULATOR) + " is there." + System.lineSeparator() + INSTALL_HINT);
        }
        Path imageTool = directory.resolve(os.executableName(IMAGE_TOOL));
        if (!Files.isExecutable(imageTool)) {
            throw new BuildException("<qemu> points at " + configured + ", but " + os.executableName(IMAGE_TOOL)
                    + " is not beside it in " + directory + " (it ships in the same QEMU installation; on Debian/Ubuntu"
                    + " it is the package qemu-utils)." + System.lineSeparator() + INSTALL_HINT);
        }
        return new QemuInstallation(emulator, imageTool);
    }

    private static Optional<QemuInstallation> inDirectory(Path directory, HostOs os) {
        Path emulator = directory.resolve(os.executableName(SYSTEM_EMULATOR));
        Path imageTool = directory.resolve(os.executableName(IMAGE_TOOL));
        if (Files.isRegularFile(emulator) && Files.isExecutable(emulator) && Files.isExecutable(imageTool)) {
            return Optional.of(new QemuInstallation(emulator, imageTool));
        }
        return Optional.empty();
    }

    /** PATH first, then where the usual installers put QEMU when it is not on PATH. */
    static List<Path> searchDirectories(String pathVariable, HostOs os) {
        List<Path> directories = new ArrayList<>();
        if (pathVariable != null) {
            for (String entry : pathVariable.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        switch (os) {
            case MAC -> {
                directories.add(Path.of("/opt/homebrew/bin"));
                directories.add(Path.of("/usr/local/bin"));
                directories.add(Path.of("/opt/local/bin"));
            }
            case WINDOWS -> directories.add(Path.of("C:\\Program Files\\qemu"));
            default -> {
                directories.add(Path.of("/usr/bin"));
                directories.add(Path.of("/usr/local/bin"));
            }
        }
        return directories;
    }
}
