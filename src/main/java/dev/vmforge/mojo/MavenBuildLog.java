package dev.vmforge.mojo;

import dev.vmforge.BuildLog;
import org.apache.maven.plugin.logging.Log;

/** The engine's log written through Maven's, so {@code -q} and {@code -X} behave as users expect. */
final class MavenBuildLog implements BuildLog {
    private final Log log;

    MavenBuildLog(Log log) {
        this.log = log;
    }

    @Override
    public void info(String message) {
        log.info(message);
    }

    @Override
    public void warn(String message) {
        log.warn(message);
    }

    @Override
    public void debug(String message) {
        log.debug(message);
    }

    @Override
    public boolean isDebugEnabled() {
        return log.isDebugEnabled();
    }
}
