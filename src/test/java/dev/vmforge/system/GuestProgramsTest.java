package dev.vmforge.system;

import dev.vmforge.app.Launcher;
import dev.vmforge.configure.ConfigureScript;
import dev.vmforge.image.BuilderScript;
import dev.vmforge.image.GrubConfig;
import dev.vmforge.image.IsoBuilderScript;
import dev.vmforge.image.ImageIds;
import dev.vmforge.image.PartitionLayout;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.Service;
import dev.vmforge.vm.BuilderInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every program the plugin runs in a guest, as generated from its {@code .sh} resource with values filled in,
 * parses under the host's POSIX sh; where shellcheck is installed (CI installs it) it must also pass shellcheck's
 * warnings, but for variables a program gets from its caller (udhcpc's environment, run-vm.sh's settings).
 */
class GuestProgramsTest {
    /** SC2154: a variable set by the caller (udhcpc, the EXIT trap's own rc). */
    private static final String SHELLCHECK_EXCLUDED = "SC2154";

    @TempDir
    Path dir;

    @Test
    void everyGuestProgramAsGeneratedIsValidShell() throws Exception {
        Map<String, String> programs = new LinkedHashMap<>();
        programs.put("builder-init", BuilderInit.script());
        for (ImageSpec.Firmware firmware : ImageSpec.Firmware.values()) {
            for (ImageSpec.PartitionTable table : ImageSpec.PartitionTable.values()) {
                programs.put("build-image-" + table + "-" + firmware, buildImage(table, firmware));
            }
        }
        for (ImageSpec.Firmware firmware : ImageSpec.Firmware.values()) {
            programs.put("build-iso-" + firmware, buildIso(firmware, false));
        }
        programs.put("build-iso-application", buildIso(ImageSpec.Firmware.BIOS_EFI, true));
        programs.put("configure", ConfigureScript.text(List.of(new ConfigureScript.Preinst("libc6:amd64", "libc6",
                "amd64"), new ConfigureScript.Preinst("base-passwd", "base-passwd", "amd64")), 300, 1_700_000_000L));
        programs.put("configure-no-preinst", ConfigureScript.text(List.of(), 300, 1L));
        programs.put("initrd-init", SystemInitrd.initScript("6.1.0-28-cloud-amd64"));
        programs.put("rcS-dhcp", BusyboxInit.rcS(OperatingSystem.Network.DHCP));
        programs.put("rcS-none", BusyboxInit.rcS(OperatingSystem.Network.NONE));
        programs.put("udhcpc-script", BusyboxInit.udhcpcScript());
        programs.put("shutdown", BusyboxInit.shutdown());
        programs.put("console-shell", BusyboxInit.consoleShell());
        programs.put("power-button", BusyboxInit.powerButton());
        programs.put("run-service", ServiceScripts.runService());
        programs.put("service-run", ServiceScripts.runFile(new Service("web", "exec httpd -f -p 80 -h '/srv/it''s'",
                "www", "/srv/www", Map.of("GREETING", "it's \"quoted\" $HOME `x`", "A", "1"),
                Service.Restart.ON_FAILURE)));
        programs.put("container-init", ContainerInit.script(List.of(Fixtures.service("a", "true", null),
                Fixtures.service("b", "sleep 1", Service.Restart.NEVER))));
        programs.put("container-init-empty", ContainerInit.script(List.of()));
        programs.put("launcher", Launcher.text(List.of("-Xmx256m", "-Dgreeting=hi there"),
                List.of("/opt/app/app.jar", "/opt/app/lib/a b.jar"), "com.example.Main"));

        boolean shellcheck = Files.isExecutable(Path.of("/usr/bin/shellcheck"));
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> program : programs.entrySet()) {
            Path file = Files.writeString(dir.resolve(program.getKey() + ".sh"), program.getValue());
            check(program.getKey(), List.of("/bin/sh", "-n", file.toString()), failures);
            if (shellcheck) {
                check(program.getKey(), List.of("shellcheck", "-s", "sh", "-S", "warning", "-e", SHELLCHECK_EXCLUDED,
                        file.toString()), failures);
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(programs.values().stream().noneMatch(p -> p.matches("(?s).*@[A-Z][A-Z0-9_]*@.*")),
                "no placeholder is left");
    }

    private static String buildImage(ImageSpec.PartitionTable table, ImageSpec.Firmware firmware) {
        ImageSpec spec = new ImageSpec(ImageSpec.Format.QCOW2, OptionalLong.empty(), table, firmware,
                ImageSpec.FileSystemType.EXT4, "root");
        ImageIds ids = ImageIds.derive("seed");
        PartitionLayout layout = PartitionLayout.plan(spec, 256L << 20, ids, 16L << 20);
        GrubConfig grub = new GrubConfig("demo", ids.rootUuid(), "/boot/vmlinuz-6.1", "/boot/initrd.img-6.1",
                List.of("quiet"));
        return new BuilderScript(spec, layout, grub, 1_700_000_000L, 300).text();
    }

    private static String buildIso(ImageSpec.Firmware firmware, boolean application) {
        GrubConfig grub = new GrubConfig("demo", GrubConfig.Root.isoVolume("ROOT"), "/boot/vmlinuz-6.1",
                "/boot/initrd.img-6.1", List.of("vmforge.root=volatile"));
        return new IsoBuilderScript("ROOT", "1234ABCD", firmware.bios(), firmware.efi(), grub, application,
                1_700_000_000L, 300).text();
    }

    private static void check(String name, List<String> command, List<String> failures) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), command.get(0) + " hangs on " + name);
        if (p.exitValue() != 0) {
            failures.add(name + " (" + command.get(0) + "): " + output);
        }
    }
}
