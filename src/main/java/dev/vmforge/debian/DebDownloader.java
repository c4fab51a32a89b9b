package dev.vmforge.debian;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Downloads .deb files into the shared cache as {@code CACHE/debs/SHA256.deb}, several at a time.
 * Each file is streamed to a temporary name, checked against the index's size and SHA-256, and only
 * then renamed into place, so a file under its final name is always complete and verified.
 */
final class DebDownloader {
    static final int THREADS = 4;
    private static final long PROGRESS_INTERVAL_NANOS = 2_000_000_000L;

    private final Path debsDir;
    private final boolean offline;
    private final BuildLog log;
    private final Transport transport;

    private final List<java.net.URI> fallbackMirrors;

    /**
     * @param fallbackMirrors mirrors tried in order when a package's own mirror lacks the file (lock-file
     *                        entries only record the path relative to a mirror)
     */
    DebDownloader(Path cacheDir, boolean offline, BuildLog log, Transport transport, List<java.net.URI> fallbackMirrors) {
        this.fallbackMirrors = List.copyOf(fallbackMirrors);
        this.debsDir = cacheDir.resolve("debs");
        this.offline = offline;
        this.log = log;
        this.transport = transport;
    }

    Path cachePath(ResolvedPackage p) {
        return debsDir.resolve(p.sha256() + ".deb");
    }

    Map<ResolvedPackage, Path> download(List<ResolvedPackage> packages) {
        Map<ResolvedPackage, Path> result = new LinkedHashMap<>();
        List<ResolvedPackage> missing = new ArrayList<>();
        for (ResolvedPackage p : packages) {
            Path target = cachePath(p);
            result.put(p, target);
            if (!isCached(p, target)) {
                missing.add(p);
            }
        }
        if (missing.isEmpty()) {
            return Collections.unmodifiableMap(result);
        }
        if (offline) {
            StringBuilder list = new StringBuilder();
            for (ResolvedPackage p : missing) {
                list.append("\n  ").append(p.name()).append(' ').append(p.version()).append(" (").append(p.uri()).append(')');
            }
            throw new BuildException("Offline mode: " + missing.size() + " package(s) are not in the cache " + debsDir
                    + ":" + list + "\nRun once without -o to download them.");
        }
        fetchAll(missing);
        return Collections.unmodifiableMap(result);
    }

    /** The name is the verified SHA-256, so a size check suffices to spot a truncated file written by other means. */
    private static boolean isCached(ResolvedPackage p, Path target) {
        try {
            return Files.isRegularFile(target) && (p.size() < 0 || Files.size(target) == p.size());
        } catch (IOException e) {
            return false;
        }
    }

    private void fetchAll(List<ResolvedPackage> missing) {
        try {
            Files.createDirectories(debsDir);
        } catch (IOException e) {
            throw new BuildException("Cannot create the cache directory " + debsDir + ": " + e.getMessage(), e);
        }
        long total = missing.stream().mapToLong(p -> Math.max(0, p.size())).sum();
        AtomicLong done = new AtomicLong();
        AtomicLong lastReport = new AtomicLong(System.nanoTime());
        log.info("Downloading " + missing.size() + " package(s), " + mib(total) + " MiB");
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, missing.size()), r -> {
            Thread t = new Thread(r, "deb-download");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        for (ResolvedPackage p : missing) {
            futures.add(pool.submit(() -> {
                fetchOne(p, n -> {
                    long now = System.nanoTime();
                    long d = done.addAndGet(n);
                    long last = lastReport.get();
                    if (now - last >= PROGRESS_INTERVAL_NANOS && lastReport.compareAndSet(last, now)) {
                        log.info("Downloading packages: " + mib(d) + " / " + mib(total) + " MiB");
                    }
                });
                return null;
            }));
        }
        List<String> failures = new ArrayList<>();
        try {
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause().getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BuildException("Interrupted while downloading packages", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) {
            throw new BuildException("Cannot download " + failures.size() + " package(s):\n  " + String.join("\n  ", failures));
        }
        log.info("Downloaded " + missing.size() + " package(s), " + mib(total) + " MiB");
    }

    private void fetchOne(ResolvedPackage p, java.util.function.LongConsumer progress) throws IOException {
        List<java.net.URI> mirrors = new ArrayList<>();
        mirrors.add(p.mirror());
        for (java.net.URI m : fallbackMirrors) {
            if (!mirrors.contains(m)) {
                mirrors.add(m);
            }
        }
        Transport.NotFoundException notFound = null;
        for (java.net.URI mirror : mirrors) {
            try {
                fetchFrom(p, mirror.resolve(p.filename()), progress);
                return;
            } catch (Transport.NotFoundException e) {
                notFound = e;
            }
        }
        throw new IOException(p.name() + " " + p.version() + ": " + notFound.getMessage()
                + (mirrors.size() > 1 ? " (and on " + (mirrors.size() - 1) + " other mirror(s))" : ""));
    }

    private void fetchFrom(ResolvedPackage p, java.net.URI uri, java.util.function.LongConsumer progress) throws IOException {
        Path target = cachePath(p);
        Path temp = Files.createTempFile(debsDir, "." + p.sha256(), ".part");
        try {
            MessageDigest md = Sha256.digest();
            long[] size = {0};
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), md)) {
                transport.copy(uri, out, n -> {
                    size[0] += n;
                    if (p.size() >= 0 && size[0] > p.size()) {
                        throw new SizeExceeded();
                    }
                    progress.accept(n);
                });
            } catch (SizeExceeded e) {
                throw new IOException(p.name() + " " + p.version() + " from " + uri
                        + " is larger than the " + p.size() + " bytes its index lists; refused");
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if ((p.size() >= 0 && size[0] != p.size()) || !actual.equals(p.sha256())) {
                throw new IOException(p.name() + " " + p.version() + " from " + uri + " does not match its index (expected "
                        + p.size() + " bytes, SHA-256 " + p.sha256() + "; got " + size[0] + " bytes, " + actual
                        + "): corrupt or tampered download");
            }
            AtomicFiles.move(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static final class SizeExceeded extends RuntimeException {
        SizeExceeded() {
            super(null, null, false, false);
        }
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
