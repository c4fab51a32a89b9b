package dev.vmforge.registry;

import dev.vmforge.BuildLog;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Progress of a large upload or download: a line when it starts, one every few seconds while it runs
 * ({@code 45% of 120.3 MiB, 12.1 MiB/s}), none for small blobs.
 */
final class TransferProgress {
    static final long LARGE = 16L << 20;
    private static final long INTERVAL_NANOS = 5_000_000_000L;

    private final BuildLog log;
    private final String label;
    private final long total;
    private final boolean large;
    private final long start = System.nanoTime();
    private long done;
    private long lastReport = start;

    TransferProgress(BuildLog log, String label, long total) {
        this.log = log;
        this.label = label;
        this.total = total;
        this.large = total >= LARGE;
        if (large) {
            log.info(String.format(Locale.ROOT, "  %s: %s ...", label, size(total)));
        }
    }

    /** Sets the bytes done so far, e.g. back to where a retried upload resumes. */
    synchronized void at(long bytes) {
        done = bytes;
    }

    synchronized void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (large && now - lastReport >= INTERVAL_NANOS) {
            lastReport = now;
            double seconds = (now - start) / 1e9;
            log.info(String.format(Locale.ROOT, "  %s: %d%% of %s, %.1f MiB/s", label, total == 0 ? 100 : done * 100 / total,
                    size(total), done / seconds / (1 << 20)));
        }
    }

    /** {@code in}, counted into this progress as it is read. */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }
        };
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
