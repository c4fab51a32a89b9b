package dev.vmforge;

import java.util.Locale;

/** One line per step with its time, in Maven's manner: {@code Resolving packages ... 1.2 s}. */
public final class Step implements AutoCloseable {
    private final BuildLog log;
    private final String name;
    private final long start = System.nanoTime();
    private String outcome = "";

    private Step(BuildLog log, String name) {
        this.log = log;
        this.name = name;
    }

    public static Step start(BuildLog log, String name) {
        return new Step(log, name);
    }

    /** Says how the step ended, e.g. "up to date" or "built"; shown before the time. */
    public Step outcome(String text) {
        this.outcome = text;
        return this;
    }

    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    @Override
    public void close() {
        log.info(String.format(Locale.ROOT, "%-34s %s(%.1f s)", name, outcome.isEmpty() ? "" : outcome + " ", seconds()));
    }
}
