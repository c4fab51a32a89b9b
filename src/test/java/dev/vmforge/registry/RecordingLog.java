package dev.vmforge.registry;

import dev.vmforge.BuildLog;

import java.util.ArrayList;
import java.util.List;

/** A BuildLog at debug level that keeps every line, for assertions on what was (and was not) logged. */
final class RecordingLog implements BuildLog {
    final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void info(String message) {
        lines.add("[INFO] " + message);
    }

    @Override
    public synchronized void warn(String message) {
        lines.add("[WARNING] " + message);
    }

    @Override
    public synchronized void debug(String message) {
        lines.add("[DEBUG] " + message);
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    synchronized String text() {
        return String.join("\n", lines);
    }

    synchronized List<String> warnings() {
        return lines.stream().filter(l -> l.startsWith("[WARNING]")).toList();
    }
}
