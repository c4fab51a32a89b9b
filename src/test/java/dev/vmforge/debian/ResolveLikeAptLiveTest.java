package dev.vmforge.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmforge.BuildLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Against Debian's real archive: the closure must equal apt's for the same request (run apt-get update first). */
@EnabledIfSystemProperty(named = "vm.test.live", matches = "true")
class ResolveLikeAptLiveTest {
    static final List<String> REQUEST = List.of("openjdk-17-jre-headless", "busybox-static");

    /**
     * Package sets where apt's choices matter. udhcpd depends on lsb-base, a transitional package that
     * sysvinit-utils provides, and on "busybox | busybox-static": apt marks every requested package before
     * choosing dependencies, so it takes the requested packages (no lsb-base; no busybox, which conflicts
     * with busybox-static, the package the plugin always adds).
     */
    static List<List<String>> requests() {
        return List.of(REQUEST,
                List.of("udhcpd", "busybox", "sysvinit-utils"),
                List.of("udhcpd", "busybox-static"));
    }

    static List<PackageSource> bookworm() {
        return List.of(
                new PackageSource(URI.create("http://deb.debian.org/debian"), "bookworm", List.of("main"), "amd64", null),
                new PackageSource(URI.create("http://deb.debian.org/debian"), "bookworm-updates", List.of("main"), "amd64", null),
                new PackageSource(URI.create("http://deb.debian.org/debian-security"), "bookworm-security", List.of("main"), "amd64", null));
    }

    static Path cacheDir() {
        return Path.of(System.getProperty("vm.cacheDirectory", System.getProperty("user.home") + "/.cache/vm-maven-plugin"));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void closureEqualsAptsAnswer(List<String> request) throws Exception {
        ResolvedClosure closure = new DebianArchive(cacheDir(), false, BuildLog.console())
                .resolve(new ResolveRequest(bookworm(), request, null, Base.MINIMAL, false));
        TreeMap<String, String> ours = new TreeMap<>();
        closure.packages().forEach(p -> ours.put(p.name(), p.version().toString()));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/apt-get")), "apt-get not installed");
        List<String> command = new java.util.ArrayList<>(List.of("apt-get", "-s", "-o", "Dir::State::status=/dev/null",
                "-o", "APT::Install-Recommends=false", "-o", "Debug::NoLocking=1", "install"));
        command.addAll(request);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        TreeMap<String, String> apt = new TreeMap<>();
        Pattern inst = Pattern.compile("^Inst (\\S+) \\((\\S+) ");
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                Matcher m = inst.matcher(line);
                if (m.find()) {
                    apt.put(m.group(1).replaceFirst(":amd64$", ""), m.group(2));
                }
            }
        }
        assertEquals(0, p.waitFor(), output.toString());
        TreeSet<String> onlyOurs = new TreeSet<>(ours.keySet());
        onlyOurs.removeAll(apt.keySet());
        TreeSet<String> onlyApt = new TreeSet<>(apt.keySet());
        onlyApt.removeAll(ours.keySet());
        assertEquals("only ours: [] only apt: []", "only ours: " + onlyOurs + " only apt: " + onlyApt, "package sets differ");
        assertEquals(apt, ours, "versions differ (is the host's apt-get update recent?)");
    }
}
