package dev.vmforge.launch;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.os.StartSpec;
import dev.vmforge.os.VmSpec;
import dev.vmforge.vm.QmpClient;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Waits until a started VM is ready: every condition of {@code <start><waitFor>} holds (a console line, a TCP port
 * the guest accepts, an HTTP answer 2xx). Says every few seconds what it waits for. When QEMU exits first or the
 * time runs out, the VM is ended and the build fails with the console's last lines and the log's path.
 */
public final class Readiness {
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** Each probe opens a connection QEMU's user network keeps trying while the guest is not up: not too often. */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final BuildLog log;
    private final Duration progressInterval;

    public Readiness(BuildLog log) {
        this(log, PROGRESS_INTERVAL);
    }

    Readiness(BuildLog log, Duration progressInterval) {
        this.log = log;
        this.progressInterval = progressInterval;
    }

    /**
     * Returns once every condition holds (at once when there are none), with the start's timeline.
     *
     * @throws BuildException after ending the VM, when it exited first or {@code timeout} passed
     */
    public BootTimeline await(RunningVm vm, StartSpec.WaitFor waitFor, Duration timeout) {
        List<Condition> pending = conditions(vm, waitFor);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextProgress = start + progressInterval.toNanos();
        try {
            while (true) {
                for (ConsoleLog.Line line : vm.console().poll()) {
                    vm.timeline().observe(line);
                    pending.removeIf(condition -> condition.matches(line.text()));
                }
                pending.removeIf(Condition::probe);
                long now = System.nanoTime();
                if (pending.isEmpty()) {
                    vm.timeline().ready(System.nanoTime());
                    return vm.timeline();
                }
                if (!vm.isRunning()) {
                    throw fail(vm, "QEMU exited with status " + vm.exitStatus() + " (the guest powered off,"
                            + " rebooted or panicked) before the VM was ready; it was waiting for "
                            + describe(pending));
                }
                if (now >= deadline) {
                    throw fail(vm, "the VM was not ready within " + timeout.toSeconds() + " s (<start><timeout>):"
                            + " still waiting for " + describe(pending) + "; the VM was ended");
                }
                if (now >= nextProgress) {
                    log.info("VM '" + vm.id() + "': waiting for " + describe(pending) + ": "
                            + Duration.ofNanos(now - start).toSeconds() + " s of " + timeout.toSeconds() + " s ("
                            + vm.timeline().stage() + ")");
                    nextProgress += progressInterval.toNanos();
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(vm, "interrupted while waiting for " + describe(pending));
        }
    }

    private static BuildException fail(RunningVm vm, String problem) {
        String tail = vm.console().tail();
        vm.kill();
        return new BuildException("VM '" + vm.id() + "': " + problem + "; console log: " + vm.consoleLog() + tail);
    }

    private static String describe(List<Condition> pending) {
        return pending.stream().map(Condition::description).collect(Collectors.joining(" and "));
    }

    static List<Condition> conditions(RunningVm vm, StartSpec.WaitFor waitFor) {
        List<Condition> conditions = new ArrayList<>();
        waitFor.log().ifPresent(pattern -> conditions.add(new LogLine(pattern)));
        waitFor.tcp().ifPresent(port -> conditions.add(new TcpPort(hostSide(vm, port), vm.qmp())));
        waitFor.http().ifPresent(http -> conditions.add(new HttpAnswer(hostSide(vm, http.port()), http.path())));
        return conditions;
    }

    private static VmSpec.PortForward hostSide(RunningVm vm, int guestPort) {
        return vm.port(guestPort).orElseThrow(() -> new IllegalStateException("guest port " + guestPort
                + " is not forwarded")); // the reader checked it
    }

    /** One readiness condition: met by a console line, or by a probe of a forwarded port. */
    interface Condition {
        String description();

        default boolean matches(String consoleLine) {
            return false;
        }

        /** Called every poll; probes at most every {@link #PROBE_INTERVAL}, returning within a few seconds. */
        default boolean probe() {
            return false;
        }
    }

    /** {@code <log>}: a console line matching the expression. */
    record LogLine(Pattern pattern) implements Condition {
        @Override
        public String description() {
            return "a console line matching /" + pattern.pattern() + "/";
        }

        @Override
        public boolean matches(String consoleLine) {
            return pattern.matcher(consoleLine).find();
        }
    }

    /**
     * {@code <tcp>}: the guest accepts a TCP connection on the port. QEMU's user network accepts every connection
     * on the host side at once and only then connects to the guest, so an open connection proves nothing: the
     * user network's socket to the guest must be {@code ESTABLISHED}, while a closed port resets the connection.
     */
    static final class TcpPort implements Condition {
        private static final int CONNECT_TIMEOUT_MILLIS = 1000;
        private static final int CHECKS = 5;
        private final VmSpec.PortForward forward;
        private final QmpClient qmp;
        private long nextProbe = System.nanoTime();

        TcpPort(VmSpec.PortForward forward, QmpClient qmp) {
            this.forward = forward;
            this.qmp = qmp;
        }

        @Override
        public String description() {
            return "guest port " + forward.guestPort() + " to accept TCP connections (" + forward.clientAddress() + ":"
                    + forward.hostPort() + ")";
        }

        @Override
        public boolean probe() {
            if (System.nanoTime() < nextProbe) {
                return false;
            }
            nextProbe = System.nanoTime() + PROBE_INTERVAL.toNanos();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(forward.clientAddress(), forward.hostPort()), CONNECT_TIMEOUT_MILLIS);
                socket.setSoTimeout(100);
                InputStream in = socket.getInputStream();
                for (int i = 0; i < CHECKS; i++) {
                    if (established()) {
                        return true;
                    }
                    try {
                        if (in.read() < 0) {
                            return false; // the guest refused: nothing listens yet
                        }
                        return true; // the service spoke first (SSH, SMTP...)
                    } catch (SocketTimeoutException stillOpen) {
                        // the guest has not answered the user network yet, or answered and is silent: look again
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        }

        private boolean established() throws IOException {
            return qmp.userNetwork().stream().anyMatch(s -> s.protocol().equals("TCP")
                    && s.state().equals("ESTABLISHED") && s.guestPort() == forward.guestPort());
        }
    }

    /** {@code <http>}: a GET through the forwarded port answers 2xx. Asynchronous, so the console keeps flowing. */
    static final class HttpAnswer implements Condition {
        private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
        private final URI uri;
        private final int guestPort;
        private CompletableFuture<Integer> inFlight;
        private long nextRequest = System.nanoTime();

        HttpAnswer(VmSpec.PortForward forward, String path) {
            this.uri = URI.create("http://" + forward.clientAddress() + ":" + forward.hostPort() + path);
            this.guestPort = forward.guestPort();
        }

        @Override
        public String description() {
            return "HTTP 2xx from " + uri + " (guest port " + guestPort + ")";
        }

        @Override
        public boolean probe() {
            if (inFlight != null && inFlight.isDone()) {
                int status = inFlight.join();
                inFlight = null;
                if (status >= 200 && status < 300) {
                    return true;
                }
            }
            if (inFlight == null && System.nanoTime() >= nextRequest) {
                nextRequest = System.nanoTime() + PROBE_INTERVAL.toNanos();
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
                inFlight = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .thenApply(HttpResponse::statusCode)
                        .exceptionally(e -> -1);
            }
            return false;
        }
    }
}
