package dev.vmforge.os;

import dev.vmforge.os.pom.ApplicationConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static dev.vmforge.os.ReaderTesting.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OperatingSystemValidationTest {
    @TempDir
    Path base;
    private final OperatingSystemConfig c = new OperatingSystemConfig();

    private OperatingSystem read() {
        return reader(base).readOperatingSystem(c);
    }

    @Test
    void acceptsValidValuesAndMergesRepeatedPackages() {
        c.hostName = " web-1.example.org ";
        c.packages = List.of("busybox-static", "libstdc++6", "busybox-static");
        c.kernel = "linux-image-amd64";
        c.base = "MinBase";
        c.network = "NONE";
        c.timezone = "America/Argentina/Buenos_Aires";
        c.kernelArguments = List.of("quiet", "console=ttyS0");
        OperatingSystem os = read();
        assertEquals("web-1.example.org", os.hostName());
        assertEquals(List.of("busybox-static", "libstdc++6"), os.packages());
        assertEquals("linux-image-amd64", os.kernel());
        assertEquals(OperatingSystem.Base.MINBASE, os.base());
        assertEquals(OperatingSystem.Network.NONE, os.network());
        assertEquals("America/Argentina/Buenos_Aires", os.timezone());
        assertEquals(List.of("quiet", "console=ttyS0"), os.kernelArguments());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-demo", "demo-", "de_mo", "a..b", "demo.", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void hostNameMustBeRfc1123(String hostName) {
        c.hostName = hostName;
        assertInvalid("operatingSystem/hostName", "use letters, digits and hyphens", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Busybox", "b", "-foo", "foo_bar", "foo bar"})
    void packageNameFollowsDebianPolicy(String name) {
        c.packages = List.of("busybox-static", name);
        assertInvalid("operatingSystem/packages/package[2]", "lower-case letters, digits and + . -", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"busybox=1.35", "busybox:amd64"})
    void packageVersionPinsAndArchitecturesAreRefused(String name) {
        c.packages = List.of(name);
        assertInvalid("operatingSystem/packages/package[1]", "pinned by vm-packages.lock", this::read);
    }

    @Test
    void emptyPackageElementIsRefused() {
        c.packages = java.util.Arrays.asList("busybox", null);
        assertInvalid("operatingSystem/packages/package[2]", "is required", this::read);
    }

    @Test
    void kernelMustBeAPackageName() {
        c.kernel = "Linux Image";
        assertInvalid("operatingSystem/kernel", "e.g. busybox-static", this::read);
    }

    @Test
    void kernelArgumentsAreOneLineEach() {
        c.kernelArguments = List.of("quiet", "init=/bin/sh\nrw");
        assertInvalid("operatingSystem/kernelArguments/argument[2]", "on one line", this::read);
    }

    @Test
    void baseListsTheAllowedValues() {
        c.base = "full";
        assertInvalid("operatingSystem/base", "use one of auto, minimal, essential, minbase", this::read);
    }

    @Test
    void networkListsTheAllowedValues() {
        c.network = "static";
        assertInvalid("operatingSystem/network", "use one of dhcp, none", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CET+1", "Europe/../etc/passwd", "/Europe/Paris", "Paris", "Europe/Paris x"})
    void timezoneIsUtcOrAreaCity(String zone) {
        c.timezone = zone;
        assertInvalid("operatingSystem/timezone", "Area/City such as Europe/Paris", this::read);
    }

    @Test
    void applicationDirectoryMustBeAbsolute() {
        c.application = new ApplicationConfig();
        c.application.directory = "opt/app";
        assertInvalid("operatingSystem/application/directory", "write an absolute path in the system, e.g. /opt/app",
                this::read);
    }

    @Test
    void applicationMainClassMustBeAJavaClassName() {
        c.application = new ApplicationConfig();
        c.application.mainClass = "com.example.Main.class()";
        assertInvalid("operatingSystem/application/mainClass", "fully qualified name such as com.example.Main",
                this::read);
    }

    @Test
    void applicationKeepsItsValues() {
        c.application = new ApplicationConfig();
        c.application.directory = "/srv//app/";
        c.application.mainClass = "com.example.Main";
        c.application.jvmArguments = List.of("-Xmx256m");
        assertEquals(new Application("demo", "/srv/app", java.util.Optional.of("com.example.Main"), List.of("-Xmx256m")),
                read().application().orElseThrow());
    }
}
