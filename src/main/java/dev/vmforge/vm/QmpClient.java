package dev.vmforge.vm;

import dev.vmforge.Json;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of QEMU's machine protocol (QMP) on a Unix socket ({@link QemuCommand#qmp}): resume a paused VM, ask
 * the guest to power off (the ACPI power button), read the user network's sockets (which host port a free-port
 * forwarding got, whether the guest accepted a forwarded connection), quit. One JSON object per line; replies come
 * in order, events (such as {@code SHUTDOWN}) in between are kept aside.
 */
public final class QmpClient implements Closeable {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    private static final Map<String, Object> END = Map.of();
    /** A row of {@code info usernet}: {@code TCP[HOST_FORWARD]  9  127.0.0.1 38113  10.0.2.15  80  0  0}. */
    private static final Pattern USERNET_ROW = Pattern.compile(
            "^\\s*(TCP|UDP)\\[([A-Z_]+)\\]\\s+-?\\d+\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)\\b");

    /**
     * A socket of QEMU's user network.
     *
     * @param state {@code HOST_FORWARD} for a forwarding's listening socket, else a TCP state of the connection to
     *              the guest ({@code SYN_SENT} while the guest has not answered, {@code ESTABLISHED} once it did)
     */
    public record UserNetworkSocket(String protocol, String state, String hostAddress, int hostPort,
                                    String guestAddress, int guestPort) {
    }

    private final SocketChannel channel;
    private final BlockingQueue<Map<String, Object>> replies = new LinkedBlockingQueue<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private QmpClient(SocketChannel channel) {
        this.channel = channel;
        Thread reader = new Thread(this::read, "qmp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects once QEMU has created the socket and negotiates capabilities.
     *
     * @param qemuRunning false once QEMU exited: then waiting is pointless
     * @throws IOException when QEMU exited first, or no connection was possible within {@code timeout}
     */
    public static QmpClient connect(Path socket, Duration timeout, BooleanSupplier qemuRunning)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline && qemuRunning.getAsBoolean()) {
            if (Files.exists(socket)) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    QmpClient client = new QmpClient(channel);
                    client.awaitReply("greeting"); // {"QMP": {...}}
                    client.execute("qmp_capabilities", Map.of());
                    return client;
                } catch (IOException e) {
                    channel.close();
                    last = e;
                }
            }
            Thread.sleep(20);
        }
        if (!qemuRunning.getAsBoolean()) {
            throw new IOException("QEMU exited before its QMP socket " + socket + " answered");
        }
        throw new IOException("QEMU's QMP socket " + socket + " did not answer within " + timeout.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    /** Runs a command; returns its {@code return} value. */
    public synchronized Object execute(String command, Map<String, Object> arguments) throws IOException {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("execute", command);
        if (!arguments.isEmpty()) {
            message.put("arguments", arguments);
        }
        // the channel itself: Channels' streams share one lock, which the blocked reader thread holds
        ByteBuffer bytes = ByteBuffer.wrap((Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        Map<String, Object> reply = awaitReply(command);
        if (reply.get("error") instanceof Map<?, ?> error) {
            throw new IOException("QMP command " + command + " failed: " + error.get("desc"));
        }
        return reply.get("return");
    }

    /** Starts the CPU of a VM started {@link QemuCommand#paused()}. */
    public void resume() throws IOException {
        execute("cont", Map.of());
    }

    /** Presses the ACPI power button: a guest that handles it shuts down and powers off, and QEMU exits. */
    public void powerdown() throws IOException {
        execute("system_powerdown", Map.of());
    }

    /** The sockets of the user network: the forwardings, and the connections through them. */
    public List<UserNetworkSocket> userNetwork() throws IOException {
        Object text = execute("human-monitor-command", Map.of("command-line", "info usernet"));
        return parseUserNetwork(String.valueOf(text));
    }

    static List<UserNetworkSocket> parseUserNetwork(String text) {
        List<UserNetworkSocket> sockets = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            Matcher row = USERNET_ROW.matcher(line);
            if (row.find()) {
                sockets.add(new UserNetworkSocket(row.group(1), row.group(2), row.group(3),
                        Integer.parseInt(row.group(4)), row.group(5), Integer.parseInt(row.group(6))));
            }
        }
        return sockets;
    }

    /** The names of the events QEMU sent so far (e.g. {@code POWERDOWN}, {@code SHUTDOWN}). */
    public List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the socket is gone with QEMU anyway
        }
    }

    private Map<String, Object> awaitReply(String command) throws IOException {
        Map<String, Object> reply;
        try {
            reply = replies.poll(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for QEMU's answer to " + command, e);
        }
        if (reply == null) {
            throw new IOException("QEMU did not answer QMP command " + command + " within "
                    + REPLY_TIMEOUT.toSeconds() + " s");
        }
        if (reply == END) {
            replies.add(END); // later commands see the end too
            throw new IOException("QEMU closed its QMP connection (it exited) before answering " + command);
        }
        return reply;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Optional<Map<String, Object>> message = parse(line);
                if (message.isEmpty()) {
                    continue;
                }
                if (message.get().get("event") instanceof String event) {
                    events.add(event);
                } else {
                    replies.add(message.get());
                }
            }
        } catch (IOException e) {
            // closed: QEMU exited or close() was called
        } finally {
            replies.add(END);
        }
    }

    private static Optional<Map<String, Object>> parse(String line) {
        try {
            return Optional.of(Json.parseObject(line));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty(); // not one of ours (a number format this reader lacks): never a reply we await
        }
    }
}
