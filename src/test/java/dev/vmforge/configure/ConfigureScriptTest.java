package dev.vmforge.configure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.fs.DebPackage;
import dev.vmforge.fs.TestDeb;
import dev.vmforge.fs.UnpackedPackage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigureScriptTest {
    @TempDir
    Path dir;

    private UnpackedPackage deb(String name, String depends, boolean preinst) throws Exception {
        TestDeb deb = new TestDeb().control("Package: " + name + "\nVersion: 1\nArchitecture: amd64\n"
                + (depends.isEmpty() ? "" : "Pre-Depends: " + depends + "\n"));
        if (preinst) {
            deb.controlFile("preinst", "#!/bin/sh\nexit 0\n");
        }
        return new UnpackedPackage(DebPackage.read(deb.writeTo(dir.resolve(name + ".deb"))), List.of());
    }

    @Test
    void preinstScriptsRunDependenciesFirst() throws Exception {
        List<UnpackedPackage> packages = List.of(
                deb("a-app", "c-lib (>= 1), b-tool | z-missing", true),
                deb("b-tool", "c-lib", true),
                deb("c-lib", "", true),
                deb("d-data", "", false));
        List<String> order = ConfigureScript.preinstOrder(packages).stream().map(ConfigureScript.Preinst::packageName)
                .toList();
        assertEquals(List.of("c-lib", "b-tool", "a-app"), order);
    }

    @Test
    void scriptRunsEachPreinstThenDpkgAndWritesTheResult() {
        String script = ConfigureScript.text(List.of(new ConfigureScript.Preinst("libc6:amd64", "libc6", "amd64")), 300, 1_700_000_000L);
        assertTrue(script.contains("TMPFS_MIB=300\n") && script.contains("size=${TMPFS_MIB}m"), script);
        assertTrue(script.contains("run_preinst libc6:amd64 libc6 amd64"), script);
        assertTrue(script.contains("exit 101"), "policy-rc.d forbids service start-up: " + script);
        assertTrue(script.indexOf("run_preinst libc6") < script.indexOf("/usr/bin/dpkg --configure -a"), script);
        assertTrue(script.contains("tar -cf /dev/vda -C $ROOT ."), script);
        assertTrue(script.contains("> $RESULT"), script);
    }

    @Test
    void scriptsRunReproducibly() {
        String script = ConfigureScript.text(List.of(), 300, 1_700_000_000L);
        assertTrue(script.contains("TIMESTAMP=1700000000\n"), script);
        assertTrue(script.contains("SOURCE_DATE_EPOCH=$TIMESTAMP"), "the scripts see the build's time: " + script);
        assertTrue(script.contains("rm -f $ROOT/var/cache/ldconfig/aux-cache"), script);
        for (String log : ConfigureScript.DPKG_LOGS) {
            assertTrue(script.contains(log), log + " leaves the system: " + script);
        }
        // dpkg's logs leave the system before it is written out
        assertTrue(script.indexOf("mv \"$ROOT/var/log/$log\"") < script.indexOf("tar -cf /dev/vda"), script);
    }
}
