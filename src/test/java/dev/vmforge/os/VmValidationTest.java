package dev.vmforge.os;

import dev.vmforge.os.pom.ShareConfig;
import dev.vmforge.os.pom.VmConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static dev.vmforge.os.ReaderTesting.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VmValidationTest {
    @TempDir
    Path base;
    private final VmConfig c = new VmConfig();

    private VmSpec read() {
        return reader(base).readVm(c);
    }

    private ShareConfig share(String source, String target) {
        ShareConfig s = new ShareConfig();
        s.source = source;
        s.target = target;
        c.shares.add(s);
        return s;
    }

    @Test
    void keepsGivenValues() throws Exception {
        Files.createDirectories(base.resolve("data"));
        c.memorySize = 1024;
        c.cpus = 2;
        c.graphic = true;
        c.portForwardings = List.of("8080:80", " 2222:22 ");
        share("data", "/mnt/data/").writable = true;
        c.accelerator = "TCG";
        c.persistent = true;
        c.fullBoot = true;
        assertEquals(new VmSpec(1024, 2, true,
                List.of(new VmSpec.PortForward(8080, 80), new VmSpec.PortForward(2222, 22)),
                List.of(new VmSpec.Share(base.resolve("data").toAbsolutePath(), "/mnt/data", true)),
                "tcg", true, true), read());
    }

    @Test
    void memoryBelow64MiBIsRefused() {
        c.memorySize = 32;
        assertInvalid("vm/memorySize", "the memory size in MiB must be between 64", this::read);
    }

    @Test
    void zeroCpusIsRefused() {
        c.cpus = 0;
        assertInvalid("vm/cpus", "the number of CPUs must be between 1 and 255", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080", "8080:80:1", "a:80"})
    void portForwardingIsHostColonGuest(String forwarding) {
        c.portForwardings = List.of(forwarding);
        String hint = forwarding.startsWith("a") ? "use a number from 1 to 65535" : "as HOST:GUEST, e.g. 8080:80";
        assertInvalid("vm/portForwardings/portForwarding[1]", hint, this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0:80", "8080:65536"})
    void portForwardingPortsAreInRange(String forwarding) {
        c.portForwardings = List.of(forwarding);
        assertInvalid("vm/portForwardings/portForwarding[1]", "use a number from 1 to 65535", this::read);
    }

    @Test
    void hostPortForwardedTwiceIsRefused() {
        c.portForwardings = List.of("8080:80", "2222:22", "8080:8080");
        assertInvalid("vm/portForwardings/portForwarding[3]", "already used by portForwarding[1]", this::read);
    }

    @Test
    void shareSourceMustExist() {
        share("missing", "/mnt/x");
        var e = assertInvalid("vm/shares/share[1]/source", "create it or correct the path", this::read);
        assertTrue(e.getMessage().contains(base.resolve("missing").toString()), e.getMessage());
    }

    @Test
    void shareSourceMustBeADirectory() throws Exception {
        Files.writeString(base.resolve("file"), "x");
        share("file", "/mnt/x");
        assertInvalid("vm/shares/share[1]/source", "is not a directory", this::read);
    }

    @Test
    void shareTargetMustBeAbsolute() throws Exception {
        Files.createDirectories(base.resolve("data"));
        share("data", "mnt/x");
        assertInvalid("vm/shares/share[1]/target", "write an absolute path", this::read);
    }

    @Test
    void shareTargetTwiceIsRefused() throws Exception {
        Files.createDirectories(base.resolve("a"));
        Files.createDirectories(base.resolve("b"));
        share("a", "/mnt/x");
        share("b", "/mnt/x/");
        assertInvalid("vm/shares/share[2]/target", "mount each share at its own path", this::read);
    }

    @Test
    void acceleratorListsTheAllowedValues() {
        c.accelerator = "xen";
        assertInvalid("vm/accelerator", "use one of auto, kvm, hvf, whpx, tcg", this::read);
    }
}
