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

    @Test
    void forwardingsListenOnTheLoopbackUnlessAnAddressIsGiven() {
        c.portForwardings = List.of("8080:80", "0:22", "0.0.0.0:8443:443", "127.0.0.2:0:8080");
        assertEquals(List.of(new VmSpec.PortForward("127.0.0.1", 8080, 80), new VmSpec.PortForward("127.0.0.1", 0, 22),
                new VmSpec.PortForward("0.0.0.0", 8443, 443), new VmSpec.PortForward("127.0.0.2", 0, 8080)),
                read().portForwardings());
        assertTrue(read().portForwardings().get(1).freeHostPort());
        assertEquals("0.0.0.0:8443:443", read().portForwardings().get(2).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080", "1.2.3.4:8080:80:1", "a:b:c:d"})
    void portForwardingIsAddressHostGuest(String forwarding) {
        c.portForwardings = List.of(forwarding);
        assertInvalid("vm/portForwardings/portForwarding[1]", "write [ADDRESS:]HOST:GUEST, e.g. 8080:80", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:8080:80", "256.0.0.1:8080:80", "1.2.3:8080:80", " :8080:80"})
    void addressIsAnIpv4Address(String forwarding) {
        c.portForwardings = List.of(forwarding);
        assertInvalid("vm/portForwardings/portForwarding[1]", "is not an IPv4 address to listen on", this::read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080:0", "8080:65536", "a:80", "-1:80", "65536:80"})
    void portForwardingPortsAreInRange(String forwarding) {
        c.portForwardings = List.of(forwarding);
        String hint = forwarding.endsWith(":0") || forwarding.endsWith("65536") ? "use a number from 1 to 65535"
                : "0 for a free port, or 1 to 65535";
        assertInvalid("vm/portForwardings/portForwarding[1]", hint, this::read);
    }

    @Test
    void hostPortForwardedTwiceIsRefused() {
        c.portForwardings = List.of("8080:80", "2222:22", "127.0.0.2:8080:8080");
        assertInvalid("vm/portForwardings/portForwarding[3]", "already used by portForwarding[1]", this::read);
    }

    @Test
    void severalFreeHostPortsAreFine() {
        c.portForwardings = List.of("0:80", "0:22");
        assertEquals(2, read().portForwardings().size());
    }

    @Test
    void guestPortForwardedTwiceIsRefused() {
        c.portForwardings = List.of("8080:80", "8081:80");
        assertInvalid("vm/portForwardings/portForwarding[2]", "vm:start publishes its host port as vm.port.80",
                this::read);
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
