package dev.vmforge.debian;

import dev.vmforge.fs.HostFiles;

import dev.vmforge.BuildException;
import dev.vmforge.fs.DiskSpace;
import dev.vmforge.BuildLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Downloads .deb files into the shared cache as {@code CACHE/debs/SHA256.deb}, several at a time.
 * Each file is streamed to a temporary name (cut off at the index's size), checked against the index's size
 * and SHA-256, and only then renamed into place, so a file under its final name is always complete and
 * verified; the temporary file is deleted whatever happens.
 */
final class DebDownloader {
    static final int THREADS = 4;
    /** Cut-off for a package whose size no index gave (none should reach here). */
    private static final long MAX_UNLISTED_SIZE = 2L << 30;

    private final Path debsDir;
    private final boolean offline;
    private final BuildLog log;
    private final Transport transport;

    private final List<URI> fallbackMirrors;

    /**
     * @param fallbackMirrors mirrors tried in order when a package's own mirror lacks the file (lock-file
     *                        entries only record the path relative to a mirror)
     */
    DebDownloader(Path cacheDir, boolean offline, BuildLog log, Transport transport, List<URI> fallbackMirrors) {
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

    /**
     * The name is the verified SHA-256, so a size check suffices to spot a truncated file written by other means.
     * A cached file is marked used (vm:gc keeps it).
     */
    private static boolean isCached(ResolvedPackage p, Path target) {
        try {
            return Files.isRegularFile(target) && (p.size() < 0 || Files.size(target) == p.size())
                    && HostFiles.markUsed(target);
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
        log.info("Downloading " + missing.size() + " package(s), " + DownloadProgress.mib(total) + " MiB");
        DownloadProgress progress = new DownloadProgress(log, "Downloading packages", total);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, missing.size()), r -> {
            Thread t = new Thread(r, "deb-download");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> futures = new ArrayList<>();
        for (ResolvedPackage p : missing) {
            futures.add(pool.submit(() -> {
                fetchOne(p, progress);
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
            stop(pool);
        }
        if (failures.stream().anyMatch(f -> f != null && f.contains("No space left on device"))) {
            throw DiskSpace.explain(new IOException("No space left on device"), debsDir,
                    missing.size() + " downloaded package(s)");
        }
        if (!failures.isEmpty()) {
            throw new BuildException("Cannot download " + failures.size() + " package(s):\n  " + String.join("\n  ", failures)
                    + "\n" + Transport.ADVICE);
        }
        log.info("Downloaded " + missing.size() + " package(s), " + DownloadProgress.mib(total) + " MiB");
    }

    /** Interrupts the downloads still running and gives them a moment to delete their partial files. */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fetchOne(ResolvedPackage p, LongConsumer progress) throws IOException {
        List<URI> mirrors = new ArrayList<>();
        mirrors.add(p.mirror());
        for (URI m : fallbackMirrors) {
            if (!mirrors.contains(m)) {
                mirrors.add(m);
            }
        }
        for (URI mirror : mirrors) {
            try {
                fetchFrom(p, mirror.resolve(p.filename()), progress);
                return;
            } catch (Transport.NotFoundException e) {
                // try the next mirror
            }
        }
        throw new IOException(p.name() + " " + p.version() + ": " + p.uri() + " not found"
                + (mirrors.size() > 1 ? " (nor on " + (mirrors.size() - 1) + " other mirror(s))" : ""));
    }

    /** Streams the .deb to a temporary name, cut off at the size its index lists, and keeps it only when it matches. */
    private void fetchFrom(ResolvedPackage p, URI uri, LongConsumer progress) throws IOException {
        Path target = cachePath(p);
        Path temp = Files.createTempFile(debsDir, "." + p.sha256(), ".part");
        try {
            Transport.Expected expected = p.size() >= 0 ? Transport.Expected.listed(p.size())
                    : Transport.Expected.atMost(MAX_UNLISTED_SIZE);
            Transport.Download got;
            try {
                got = transport.download(uri, temp, expected, progress);
            } catch (Transport.NotFoundException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException(p.name() + " " + p.version() + " from " + uri + ": " + e.getMessage(), e);
            }
            if ((p.size() >= 0 && got.size() != p.size()) || !got.sha256().equals(p.sha256())) {
                throw new IOException(p.name() + " " + p.version() + " from " + uri + " does not match its index (expected "
                        + p.size() + " bytes, SHA-256 " + p.sha256() + "; got " + got.size() + " bytes, " + got.sha256()
                        + "): corrupt or tampered download");
            }
            HostFiles.replace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
