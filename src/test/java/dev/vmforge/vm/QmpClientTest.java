package dev.vmforge.vm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The QMP client against a server that answers as QEMU 7.2 does (captured replies), events in between. */
class QmpClientTest {
    static final String USERNET = "Hub -1 (net0):\\r\\n  Protocol[State]    FD  Source Address  Port   Dest. Address"
            + "  Port RecvQ SendQ\\r\\n  TCP[HOST_FORWARD]   9       127.0.0.1 38113       10.0.2.15    80     0     0\\r\\n"
            + "  TCP[ESTABLISHED]   22       127.0.0.1 18431       10.0.2.15    80     0     0\\r\\n"
            + "  TCP[HOST_FORWARD]   8       127.0.0.2 44587       10.0.2.15    22     0     0\\r\\n";

    @TempDir
    Path dir;

    /** Answers each command by name; an event goes out before every answer, as QEMU may interleave them. */
    private Thread serve(Path socket, Map<String, String> answers) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread thread = new Thread(() -> {
            try (server; SocketChannel client = server.accept()) {
                send(client, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}}, "
                        + "\"capabilities\": [\"oob\"]}}");
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.replaceAll(".*\"execute\":\"([^\"]+)\".*", "$1");
                    send(client, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"NIC_RX_FILTER\"}");
                    send(client, answers.getOrDefault(command,
                            "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command " + command
                                    + " has not been found\"}}"));
                }
            } catch (IOException ignored) {
                // the client closed
            }
        });
        thread.start();
        return thread;
    }

    private static void send(SocketChannel client, String line) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            client.write(bytes);
        }
    }

    @Test
    void commandsAnswersEventsAndErrors() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        Thread server = serve(socket, Map.of("qmp_capabilities", "{\"return\": {}}",
                "system_powerdown", "{\"return\": {}}",
                "human-monitor-command", "{\"return\": \"" + USERNET + "\"}"));
        try (QmpClient qmp = QmpClient.connect(socket, Duration.ofSeconds(5), () -> true)) {
            qmp.powerdown();
            List<QmpClient.UserNetworkSocket> sockets = qmp.userNetwork();
            assertEquals(List.of(
                    new QmpClient.UserNetworkSocket("TCP", "HOST_FORWARD", "127.0.0.1", 38113, "10.0.2.15", 80),
                    new QmpClient.UserNetworkSocket("TCP", "ESTABLISHED", "127.0.0.1", 18431, "10.0.2.15", 80),
                    new QmpClient.UserNetworkSocket("TCP", "HOST_FORWARD", "127.0.0.2", 44587, "10.0.2.15", 22)),
                    sockets);
            IOException error = assertThrows(IOException.class, qmp::resume);
            assertTrue(error.getMessage().contains("QMP command cont failed: The command cont has not been found"),
                    error.getMessage());
            assertTrue(qmp.events().contains("NIC_RX_FILTER"), qmp.events().toString());
        }
        server.join(5000);
    }

    @Test
    void aQemuThatExitedIsNotWaitedFor() {
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class,
                () -> QmpClient.connect(dir.resolve("never.sock"), Duration.ofSeconds(30), () -> false));
        assertTrue(e.getMessage().contains("QEMU exited before its QMP socket"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void noSocketWithinTheTimeLimitIsAnError() {
        IOException e = assertThrows(IOException.class,
                () -> QmpClient.connect(dir.resolve("never.sock"), Duration.ofMillis(300), () -> true));
        assertTrue(e.getMessage().contains("did not answer within"), e.getMessage());
    }
}
