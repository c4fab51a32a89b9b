package dev.vmforge.system;

import dev.vmforge.BuildLog;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the generated container-init and run-service with the host's POSIX sh (dash), a shim standing in for
 * busybox (it runs the host's commands of the same names) and VMFORGE_ROOT pointing at the written tree.
 * Only services running as root are exercised: su needs a real system.
 */
class ContainerInitBehaviourTest {
    @TempDir
    Path dir;

    private Path install(List<Service> services) throws IOException {
        FileTree tree = Fixtures.busyboxTree();
        SystemFiles.addTo(tree, Fixtures.os(List.of(), services), SystemOptions.forContainer(0), BuildLog.silent());
        Path root = dir.resolve("root");
        HostTree.write(tree, root);
        Path shim = dir.resolve("busybox-shim");
        Files.writeString(shim, """
                #!/bin/sh
                applet=$1; shift
                case "$applet" in
                    sh) exec /bin/sh "$@" ;;
                    hostname|su) exit 1 ;;
                    *) exec "$applet" "$@" ;;
                esac
                """);
        shim.toFile().setExecutable(true);
        return root;
    }

    private Process start(Path root) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", root.resolve(ContainerInit.PATH).toString());
        pb.environment().put("VMFORGE_ROOT", root.toString());
        pb.environment().put("VMFORGE_BUSYBOX", dir.resolve("busybox-shim").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("stdout").toFile());
        return pb.start();
    }

    private String stdout() throws IOException {
        return Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8);
    }

    @Test
    void commandAndEnvironmentKeepQuotesAndDollarsAndTheFirstFailureIsTheExitCode() throws Exception {
        String command = "printf '%s|%s\\n' \"$GREETING\" 'lit$x \"q\"'; exit 3";
        Service quoted = new Service("quoted", command, "root", dir.toString(),
                Map.of("GREETING", "it's $HOME \"x\""), Service.Restart.NEVER);
        Service ok = Fixtures.service("ok", "echo fine", Service.Restart.NEVER);
        Path root = install(List.of(ok, quoted));
        Process p = start(root);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "container-init ends when all services ended");
        assertEquals(3, p.exitValue(), stdout());
        String expected = "it's $HOME \"x\"|lit$x \"q\"\n";
        assertTrue(stdout().contains(expected), stdout());
        assertTrue(stdout().contains("fine\n"), stdout());
        assertEquals(expected, Files.readString(root.resolve("var/log/quoted.log")));
    }

    @Test
    void onFailureRestartsUntilSuccess() throws Exception {
        Path counter = dir.resolve("count");
        String command = "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n + 1)); echo $n > " + counter
                + "; echo run$n; [ $n -ge 3 ]";
        Path root = install(List.of(Fixtures.service("flaky", command, Service.Restart.ON_FAILURE)));
        Process p = start(root);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), stdout());
        assertEquals(0, p.exitValue(), stdout());
        String out = stdout();
        assertTrue(out.contains("run1\n") && out.contains("run2\n") && out.contains("run3\n"), out);
        assertTrue(out.contains("vmforge: service flaky exited with status 1; restarting in 2 s"), out);
    }

    @Test
    void sigtermStopsServicesAndExitsZero() throws Exception {
        Path root = install(List.of(Fixtures.service("forever", "echo started; exec sleep 300", Service.Restart.ALWAYS)));
        Process p = start(root);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!stdout().contains("started") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<ProcessHandle> children = p.descendants().toList();
        assertTrue(children.stream().anyMatch(h -> h.info().commandLine().orElse("").contains("sleep 300")),
                "the service is running");
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(15, TimeUnit.SECONDS), "stopped on SIGTERM: " + stdout());
        assertEquals(0, p.exitValue());
        Thread.sleep(200);
        assertTrue(children.stream().noneMatch(ContainerInitBehaviourTest::running), "no service process left behind: "
                + children.stream().filter(ContainerInitBehaviourTest::running).map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList());
    }

    /** Alive and not a zombie (this machine's PID 1 may be slow to reap orphans). */
    private static boolean running(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }
}
