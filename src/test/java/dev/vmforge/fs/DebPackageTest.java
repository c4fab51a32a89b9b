package dev.vmforge.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.BuildException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DebPackageTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"'',''", ".gz,.gz", ".xz,.xz", ".zst,.zst", ".xz,.bz2"})
    void readsControlAndStreamsDataForEveryCompression(String controlSuffix, String dataSuffix) throws Exception {
        Path deb = new TestDeb().compression(controlSuffix, dataSuffix)
                .controlFile("postinst", "#!/bin/sh\necho configured\n")
                .controlFile("conffiles", "/etc/hello.conf\nremove-on-upgrade /etc/old.conf\n")
                .controlFile("md5sums", "0123456789abcdef0123456789abcdef  usr/bin/hello\n")
                .dir("./").dir("./usr/").dir("./usr/bin/").file("./usr/bin/hello", 0755, "#!/bin/sh\n")
                .writeTo(dir.resolve("hello.deb"));

        List<String> names = new ArrayList<>();
        DebPackage pkg = DebPackage.read(deb, (entry, content) -> names.add(entry.getName()
                + (entry.isFile() ? "=" + new String(content.readAllBytes(), StandardCharsets.UTF_8) : "")));

        assertEquals("2.0", pkg.formatVersion());
        assertEquals("hello", pkg.name());
        assertEquals("1.0-1", pkg.version());
        assertEquals("amd64", pkg.architecture());
        assertEquals("hello", pkg.infoName());
        assertEquals("greets\n a longer\n .\n description", pkg.control().get("description"));
        assertEquals(List.of("postinst"), List.copyOf(pkg.maintainerScripts().keySet()));
        assertArrayEquals("#!/bin/sh\necho configured\n".getBytes(StandardCharsets.UTF_8),
                pkg.maintainerScripts().get("postinst"));
        assertEquals(List.of("/etc/hello.conf", "/etc/old.conf"), pkg.conffiles());
        assertEquals(Map.of("usr/bin/hello", "0123456789abcdef0123456789abcdef"), pkg.md5sums());
        assertEquals(List.of("./", "./usr/", "./usr/bin/", "./usr/bin/hello=#!/bin/sh\n"), names);
    }

    @Test
    void controlOnlyReadDoesNotNeedTheDataToBeValid() throws Exception {
        Path deb = new TestDeb().file("./x", "x").writeTo(dir.resolve("x.deb"));
        assertEquals("hello", DebPackage.read(deb).name());
    }

    @Test
    void multiArchSamePackagesAreNamedWithTheirArchitecture() throws Exception {
        Path deb = new TestDeb().control("Package: libfoo1\nVersion: 2\nArchitecture: arm64\nMulti-Arch: same\n")
                .writeTo(dir.resolve("libfoo1.deb"));
        assertEquals("libfoo1:arm64", DebPackage.read(deb).infoName());
    }

    @Test
    void aFileThatIsNoDebianPackageIsReportedWithItsName() throws Exception {
        Path notDeb = Files.writeString(dir.resolve("broken.deb"), "!<arch>\nnot really\n");
        Exception e = assertThrows(Exception.class, () -> DebPackage.read(notDeb));
        assertTrue(e.getMessage().contains("broken.deb"), e.getMessage());

        Path noPackageField = new TestDeb().control("Version: 1\nArchitecture: all\n").writeTo(dir.resolve("np.deb"));
        BuildException missing = assertThrows(BuildException.class, () -> DebPackage.read(noPackageField));
        assertTrue(missing.getMessage().contains("np.deb") && missing.getMessage().contains("Package"),
                missing.getMessage());
    }
}
