package dev.vmforge.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Follows the serial console file QEMU writes: each {@link #poll()} returns the lines completed since the last one,
 * with the time they were seen, and the last lines are kept for error messages.
 */
final class ConsoleLog {
    static final int TAIL_LINES = 20;
    /** Terminal escape sequences (SeaBIOS and GRUB clear the screen) and other control characters. */
    private static final Pattern CONTROL = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]|\u001b[A-Za-z]|[\\p{Cntrl}&&[^\t]]");

    /** A console line and when it was seen ({@link System#nanoTime()}). */
    record Line(String text, long seenNanos) {
    }

    private final Path file;
    private final Deque<String> tail = new ArrayDeque<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private long offset;

    ConsoleLog(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The lines completed since the last call (none while the file does not exist yet). */
    List<Line> poll() {
        List<Line> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        long now = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            int read;
            while ((read = channel.read(buffer, offset)) > 0) {
                offset += read;
                for (int i = 0; i < read; i++) {
                    byte b = buffer.get(i);
                    if (b == '\n') {
                        lines.add(new Line(clean(partial.toString(StandardCharsets.UTF_8)), now));
                        partial.reset();
                    } else {
                        partial.write(b);
                    }
                }
                buffer.clear();
            }
        } catch (IOException e) {
            return lines; // read again at the next poll
        }
        for (Line line : lines) {
            tail.addLast(line.text());
            if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        }
        return lines;
    }

    /** The last lines, for a failure message: "  line" each on its own line, or a note that there were none. */
    String tail() {
        poll();
        List<String> lines = new ArrayList<>(tail);
        String unfinished = clean(partial.toString(StandardCharsets.UTF_8));
        if (!unfinished.isBlank()) {
            lines.add(unfinished);
        }
        if (lines.isEmpty()) {
            return System.lineSeparator() + "(the console printed nothing)";
        }
        return System.lineSeparator() + "last lines of the console:" + System.lineSeparator() + "  "
                + String.join(System.lineSeparator() + "  ", lines);
    }

    static String clean(String line) {
        return CONTROL.matcher(line).replaceAll("");
    }
}
