package dev.vmforge.vm;

import dev.vmforge.BuildException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * UEFI firmware for x86-64 guests (OVMF): a read-only code image and a template of the variable store. Every
 * run gets its own writable copy of the variables, so runs never see each other's boot entries.
 */
public record OvmfFirmware(Path code, Path variablesTemplate) {
    /** File name pairs (code, variables) in order of preference: 4 MiB builds first, as current distributions ship. */
    private static final String[][] PAIRS = {
            {"OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd"},
            {"OVMF_CODE.fd", "OVMF_VARS.fd"},
            {"edk2-x86_64-code.fd", "edk2-i386-vars.fd"}, // QEMU's own bundle (Homebrew, Windows installer)
    };

    static final String INSTALL_HINT = "Install UEFI firmware for QEMU: Debian/Ubuntu: sudo apt-get install ovmf;"
            + " Fedora: sudo dnf install edk2-ovmf; macOS: brew install qemu (it bundles edk2-x86_64-code.fd);"
            + " Windows: the QEMU installer bundles it in its share folder.";

    /** Finds OVMF in the distribution folders and in QEMU's own share folder. */
    public static Optional<OvmfFirmware> locate(QemuInstallation qemu) {
        return locate(searchDirectories(qemu));
    }

    static Optional<OvmfFirmware> locate(List<Path> directories) {
        for (Path directory : directories) {
            for (String[] pair : PAIRS) {
                Path code = directory.resolve(pair[0]);
                Path variables = directory.resolve(pair[1]);
                if (Files.isRegularFile(code) && Files.isRegularFile(variables)) {
                    return Optional.of(new OvmfFirmware(code, variables));
                }
            }
        }
        return Optional.empty();
    }

    /** Like {@link #locate(QemuInstallation)}, but a missing firmware is a build failure (UEFI was asked for). */
    public static OvmfFirmware require(QemuInstallation qemu) {
        return locate(qemu).orElseThrow(() -> new BuildException(
                "UEFI firmware (OVMF) for QEMU was not found in " + searchDirectories(qemu) + ". " + INSTALL_HINT
                        + " Or build for BIOS only with <image><firmware>bios</firmware>."));
    }

    /** Copies the variable store template to {@code target}, writable, for one run. */
    public Path copyVariablesTo(Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(variablesTemplate, target, StandardCopyOption.REPLACE_EXISTING);
            target.toFile().setWritable(true, true);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy OVMF variables to " + target, e);
        }
    }

    private static List<Path> searchDirectories(QemuInstallation qemu) {
        List<Path> directories = new ArrayList<>(List.of(
                Path.of("/usr/share/OVMF"),
                Path.of("/usr/share/edk2/ovmf"),     // Fedora
                Path.of("/usr/share/edk2/x64"),      // Arch
                Path.of("/usr/share/edk2-ovmf/x64"),
                Path.of("/usr/share/qemu")));
        if (qemu != null) {
            Path binDirectory = qemu.systemEmulator().toAbsolutePath().getParent();
            directories.add(binDirectory.resolveSibling("share").resolve("qemu")); // Homebrew: PREFIX/share/qemu
            directories.add(binDirectory.resolve("share"));                     // Windows: C:\Program Files\qemu\share
        }
        return directories;
    }
}
