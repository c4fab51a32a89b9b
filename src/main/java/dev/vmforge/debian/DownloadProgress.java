package dev.vmforge.debian;

import dev.vmforge.BuildLog;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Progress of a long download as a log line every few seconds ({@code LABEL: 12.0 / 67.5 MiB}); a download
 * that ends sooner prints nothing. Thread-safe: parallel downloads report to one instance. Negative amounts
 * take back what a failed attempt had counted.
 */
final class DownloadProgress implements LongConsumer {
    private static final long INTERVAL_NANOS = 2_000_000_000L;

    private final BuildLog log;
    private final String label;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong(System.nanoTime());

    DownloadProgress(BuildLog log, String label, long total) {
        this.log = log;
        this.label = label;
        this.total = total;
    }

    @Override
    public void accept(long bytes) {
        long now = System.nanoTime();
        long d = done.addAndGet(bytes);
        long last = lastReport.get();
        if (now - last >= INTERVAL_NANOS && lastReport.compareAndSet(last, now)) {
            log.info(label + ": " + mib(d) + " / " + mib(total) + " MiB");
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
