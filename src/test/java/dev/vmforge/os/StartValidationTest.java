package dev.vmforge.os;

import dev.vmforge.os.pom.HttpWaitConfig;
import dev.vmforge.os.pom.StartConfig;
import dev.vmforge.os.pom.VmConfig;
import dev.vmforge.os.pom.WaitForConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static dev.vmforge.os.ReaderTesting.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartValidationTest {
    @TempDir
    Path base;
    private final StartConfig c = new StartConfig();
    private final VmConfig vm = new VmConfig();

    private StartSpec read() {
        return reader(base).readStart(c, reader(base).readVm(vm));
    }

    @Test
    void defaultsBootTheImageWithoutWaiting() {
        StartSpec spec = reader(base).readStart(null, reader(base).readVm(null));
        assertEquals(new StartSpec("default", StartSpec.Boot.IMAGE, StartSpec.WaitFor.NOTHING, Duration.ofSeconds(300),
                Duration.ofSeconds(10)), spec);
        assertTrue(spec.isDefaultId());
        assertTrue(spec.waitFor().isEmpty());
    }

    @Test
    void keepsGivenValues() {
        vm.portForwardings = List.of("0:8080", "2222:22");
        c.id = " web-1 ";
        c.boot = "direct";
        c.timeout = 60;
        c.stopTimeout = 0;
        c.waitFor = new WaitForConfig();
        c.waitFor.log = "listening on \\d+";
        c.waitFor.tcp = 22;
        c.waitFor.http = new HttpWaitConfig();
        c.waitFor.http.port = 8080;
        c.waitFor.http.path = "/health?full=1";
        StartSpec spec = read();
        assertEquals("web-1", spec.id());
        assertEquals(StartSpec.Boot.DIRECT, spec.boot());
        assertEquals(Duration.ofSeconds(60), spec.timeout());
        assertEquals(Duration.ofSeconds(0), spec.stopTimeout());
        assertEquals("listening on \\d+", spec.waitFor().log().orElseThrow().pattern());
        assertEquals(Optional.of(22), spec.waitFor().tcp());
        assertEquals(Optional.of(new StartSpec.Http(8080, "/health?full=1")), spec.waitFor().http());
    }

    @Test
    void httpPathDefaultsToTheRoot() {
        vm.portForwardings = List.of("0:80");
        c.waitFor = new WaitForConfig();
        c.waitFor.http = new HttpWaitConfig();
        c.waitFor.http.port = 80;
        assertEquals("/", read().waitFor().http().orElseThrow().path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "-x", "with space", "ünï", "012345678901234567890123456789012"})
    void idNamesFilesAndProperties(String id) {
        c.id = id;
        assertInvalid("start/id", "use 1 to 32 letters, digits, '-' or '_'", this::read);
    }

    @Test
    void bootIsImageOrDirect() {
        c.boot = "pxe";
        assertInvalid("start/boot", "use one of image, direct", this::read);
    }

    @Test
    void aBadRegularExpressionIsNamed() {
        c.waitFor = new WaitForConfig();
        c.waitFor.log = "listening (on";
        assertInvalid("start/waitFor/log", "is not a regular expression", this::read);
    }

    @Test
    void waitedPortsMustBeForwarded() {
        vm.portForwardings = List.of("0:80");
        c.waitFor = new WaitForConfig();
        c.waitFor.tcp = 22;
        assertInvalid("start/waitFor/tcp", "add <portForwarding>0:22</portForwarding>", this::read);
        c.waitFor.tcp = null;
        c.waitFor.http = new HttpWaitConfig();
        c.waitFor.http.port = 8080;
        assertInvalid("start/waitFor/http/port", "guest port 8080 is not forwarded", this::read);
    }

    @Test
    void httpNeedsAPortAndAnAbsolutePath() {
        vm.portForwardings = List.of("0:80");
        c.waitFor = new WaitForConfig();
        c.waitFor.http = new HttpWaitConfig();
        assertInvalid("start/waitFor/http/port", "is required", this::read);
        c.waitFor.http.port = 80;
        c.waitFor.http.path = "health";
        assertInvalid("start/waitFor/http/path", "write an absolute path such as /health", this::read);
        c.waitFor.http.path = "/a b";
        assertInvalid("start/waitFor/http/path", "is not a URL path", this::read);
    }

    @Test
    void timeoutsAreBounded() {
        c.timeout = 0;
        assertInvalid("start/timeout", "must be between 1 and 86400", this::read);
        c.timeout = null;
        c.stopTimeout = -1;
        assertInvalid("start/stopTimeout", "must be between 0 and 3600", this::read);
    }
}
