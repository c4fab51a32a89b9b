package dev.vmforge.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleLogTest {
    @TempDir
    Path dir;

    @Test
    void linesArriveWholeWithoutTerminalControl() throws Exception {
        Path file = dir.resolve("console.log");
        ConsoleLog console = new ConsoleLog(file);
        assertTrue(console.poll().isEmpty(), "no file yet: no lines");
        Files.writeString(file, "\u001bc\u001b[?7l\u001b[2JSeaBIOS (version 1.16)\r\nhalf a ");
        assertEquals(1, console.poll().size());
        Files.writeString(file, "line\nnext", StandardOpenOption.APPEND);
        var lines = console.poll();
        assertEquals("half a line", lines.get(0).text());
        assertTrue(console.tail().endsWith("  SeaBIOS (version 1.16)" + System.lineSeparator() + "  half a line"
                + System.lineSeparator() + "  next"), console.tail());
    }

    @Test
    void keepsTheLastLinesOnly() throws Exception {
        Path file = dir.resolve("console.log");
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(file, text);
        ConsoleLog console = new ConsoleLog(file);
        String tail = console.tail();
        assertTrue(tail.contains("line 50") && tail.contains("line 31") && !tail.contains("line 30\n"), tail);
        assertTrue(new ConsoleLog(dir.resolve("none")).tail().contains("the console printed nothing"));
    }
}
