package dev.vmforge.vm;

import dev.vmforge.BuildException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisabledOnOs(OS.WINDOWS)
class QemuInstallationTest {
    @TempDir
    Path temp;

    @Test
    void missingQemuExplainsHowToInstallItOnEachSystem() {
        BuildException failure = assertThrows(BuildException.class,
                () -> QemuInstallation.locate(null, List.of(temp.resolve("empty")), HostOs.LINUX));
        String message = failure.getMessage();
        assertTrue(message.contains("qemu-system-x86_64"), message);
        assertTrue(message.contains("sudo apt-get install qemu-system-x86 qemu-utils ovmf"), message);
        assertTrue(message.contains("sudo dnf install qemu-system-x86 qemu-img edk2-ovmf"), message);
        assertTrue(message.contains("brew install qemu"), message);
        assertTrue(message.contains("winget install SoftwareFreedomConservancy.QEMU"), message);
        assertTrue(message.contains("<qemu>"), message);
    }

    @Test
    void foundOnTheSearchPath() throws IOException {
        QemuInstallation fake = FakeQemu.install(temp.resolve("bin"), "true");
        QemuInstallation found = QemuInstallation.locate(null, List.of(temp.resolve("nothing"), temp.resolve("bin")),
                HostOs.LINUX);
        assertEquals(fake, found);
    }

    @Test
    void configuredAsDirectoryOrAsBinary() throws IOException {
        QemuInstallation fake = FakeQemu.install(temp.resolve("qemu"), "true");
        assertEquals(fake, QemuInstallation.locate(temp.resolve("qemu"), List.of(), HostOs.LINUX));
        assertEquals(fake, QemuInstallation.locate(fake.systemEmulator(), List.of(), HostOs.LINUX));
    }

    @Test
    void configuredBinaryWithoutQemuImgBesideItIsRefused() throws IOException {
        QemuInstallation fake = FakeQemu.install(temp.resolve("qemu"), "true");
        Files.delete(fake.imageTool());
        BuildException failure = assertThrows(BuildException.class,
                () -> QemuInstallation.locate(fake.systemEmulator(), List.of(), HostOs.LINUX));
        assertTrue(failure.getMessage().contains("qemu-img is not beside it"), failure.getMessage());
    }

    @Test
    void configuredPathWithoutQemuIsRefusedWithTheHint() {
        BuildException failure = assertThrows(BuildException.class,
                () -> QemuInstallation.locate(temp, List.of(), HostOs.LINUX));
        assertTrue(failure.getMessage().contains("<qemu> points at " + temp), failure.getMessage());
        assertTrue(failure.getMessage().contains("brew install qemu"), failure.getMessage());
    }

    @Test
    void searchPathIncludesPathEntriesThenInstallerFolders() {
        List<Path> directories = QemuInstallation.searchDirectories("/a" + java.io.File.pathSeparator + "/b", HostOs.MAC);
        assertEquals(List.of(Path.of("/a"), Path.of("/b"), Path.of("/opt/homebrew/bin")), directories.subList(0, 3));
    }

    @Test
    void ovmfPairsAreFoundWithThe4MiBBuildPreferred() throws IOException {
        Path share = Files.createDirectories(temp.resolve("OVMF"));
        for (String name : List.of("OVMF_CODE.fd", "OVMF_VARS.fd", "OVMF_CODE_4M.fd", "OVMF_VARS_4M.fd")) {
            Files.writeString(share.resolve(name), name);
        }
        OvmfFirmware firmware = OvmfFirmware.locate(List.of(temp.resolve("none"), share)).orElseThrow();
        assertEquals(share.resolve("OVMF_CODE_4M.fd"), firmware.code());
        Path copy = firmware.copyVariablesTo(temp.resolve("run").resolve("vars.fd"));
        assertEquals("OVMF_VARS_4M.fd", Files.readString(copy));
        assertTrue(Files.isWritable(copy));
        assertTrue(OvmfFirmware.locate(List.of(temp.resolve("none"))).isEmpty());
    }
}
