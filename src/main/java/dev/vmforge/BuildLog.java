package dev.vmforge;

/**
 * Where the engine reports progress. The Maven adapter forwards to {@code getLog()};
 * tests and benchmarks use {@link #console()} or {@link #silent()}. Keeps Maven out of the engine.
 */
public interface BuildLog {
    void info(String message);

    void warn(String message);

    /** Detail shown with {@code mvn -X}: QEMU command lines, guest logs. */
    void debug(String message);

    boolean isDebugEnabled();

    static BuildLog silent() {
        return new BuildLog() {
            @Override public void info(String message) { }
            @Override public void warn(String message) { }
            @Override public void debug(String message) { }
            @Override public boolean isDebugEnabled() { return false; }
        };
    }

    static BuildLog console() {
        return new BuildLog() {
            @Override public void info(String message) { System.out.println("[INFO] " + message); }
            @Override public void warn(String message) { System.out.println("[WARNING] " + message); }
            @Override public void debug(String message) { }
            @Override public boolean isDebugEnabled() { return false; }
        };
    }
}
