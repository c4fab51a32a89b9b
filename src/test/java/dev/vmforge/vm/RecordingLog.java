package dev.vmforge.vm;

import dev.vmforge.BuildLog;

import java.util.ArrayList;
import java.util.List;

/** A BuildLog that keeps what it was told, for assertions. */
final class RecordingLog implements BuildLog {
    final List<String> infos = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    final List<String> debugs = new ArrayList<>();

    @Override
    public synchronized void info(String message) {
        infos.add(message);
    }

    @Override
    public synchronized void warn(String message) {
        warnings.add(message);
    }

    @Override
    public synchronized void debug(String message) {
        debugs.add(message);
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }
}
