package dev.vmforge.os;

import dev.vmforge.os.pom.HttpWaitConfig;
import dev.vmforge.os.pom.StartConfig;
import dev.vmforge.os.pom.WaitForConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code <start>}: id {@value StartSpec#DEFAULT_ID}, the disk image, no readiness condition, 300 s to get ready,
 * 10 s to power off (as {@code docker stop}). Ports named by {@code <waitFor>} must be forwarded by
 * {@code <vm><portForwardings>}: the host reaches the guest only through them.
 */
final class StartReader {
    private static final String START = "start";
    /** Safe in a file name and a property name ({@code vm.ID.port.8080}): no dots. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

    StartSpec read(StartConfig config, VmSpec vm) {
        StartConfig c = config == null ? new StartConfig() : config;
        String id = Values.given(c.id) == null ? StartSpec.DEFAULT_ID
                : Values.check(START + "/id", c.id.strip(), ID.matcher(c.id.strip()).matches(),
                "is not an id; use 1 to 32 letters, digits, '-' or '_' (it names files and properties)");
        return new StartSpec(id,
                Values.choice(START + "/boot", c.boot, StartSpec.Boot.IMAGE),
                waitFor(c.waitFor, vm),
                Duration.ofSeconds(Values.inRange(START + "/timeout", c.timeout, 300, 1, 86_400,
                        "the time to get ready in seconds")),
                Duration.ofSeconds(Values.inRange(START + "/stopTimeout", c.stopTimeout, 10, 0, 3_600,
                        "the time to power off in seconds")));
    }

    private static StartSpec.WaitFor waitFor(WaitForConfig config, VmSpec vm) {
        if (config == null) {
            return StartSpec.WaitFor.NOTHING;
        }
        String element = START + "/waitFor";
        Optional<Pattern> log = Optional.ofNullable(Values.given(config.log)).map(text -> {
            try {
                return Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                throw new InvalidConfigurationException(element + "/log", "'" + text + "' is not a regular"
                        + " expression (" + e.getDescription() + "); write a Java regular expression matched against"
                        + " each console line, e.g. listening on 8080");
            }
        });
        Optional<Integer> tcp = Optional.ofNullable(config.tcp)
                .map(port -> forwardedGuestPort(element + "/tcp", port, vm));
        Optional<StartSpec.Http> http = Optional.ofNullable(config.http).map(h -> http(element + "/http", h, vm));
        return new StartSpec.WaitFor(log, tcp, http);
    }

    private static StartSpec.Http http(String element, HttpWaitConfig config, VmSpec vm) {
        if (config.port == null) {
            throw new InvalidConfigurationException(element + "/port", "is required; write the guest port the"
                    + " service answers HTTP on, e.g. <port>8080</port>");
        }
        int port = forwardedGuestPort(element + "/port", config.port, vm);
        String path = Values.given(config.path) == null ? "/" : config.path.strip();
        boolean valid = path.startsWith("/");
        if (valid) {
            try {
                valid = new URI("http://localhost" + path).getRawPath().startsWith("/");
            } catch (URISyntaxException e) {
                valid = false;
            }
        }
        return new StartSpec.Http(port, Values.check(element + "/path", path, valid,
                "is not a URL path; write an absolute path such as /health (characters outside URLs %-encoded)"));
    }

    private static int forwardedGuestPort(String element, int port, VmSpec vm) {
        Values.port(element, Integer.toString(port));
        if (vm.portForwardings().stream().noneMatch(f -> f.guestPort() == port)) {
            throw new InvalidConfigurationException(element, "guest port " + port + " is not forwarded, so the host"
                    + " cannot reach it; add <portForwarding>0:" + port + "</portForwarding> (a free host port) to"
                    + " <vm><portForwardings>");
        }
        return port;
    }
}
