package dev.vmforge.gc;

import dev.vmforge.BuildLog;
import dev.vmforge.store.Store;
import dev.vmforge.store.StoreSweeper;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * {@code vm:gc}: removes from the shared cache what no goal has used for a given time. Every use stamps a last-use
 * time: a store entry's manifest, a downloaded {@code .deb}, a parsed index, a cached resolution get their
 * modification time set when a goal uses them. What the last goal used stays whatever its age, and so does what a
 * running goal uses (see {@link BuildRecord}); store entries whose key a build has locked are never touched.
 *
 * <pre>
 * CACHE/store/KEY-NAME          derivation outputs that depend on no project file   removed when unused
 * CACHE/debs/SHA256.deb         downloaded packages, verified                        removed when unused
 * CACHE/indices/SHA256.packages package indices, parsed                              removed when unused
 * CACHE/resolutions/*.tsv       resolved package sets                                removed when unused
 * CACHE/releases/               the newest signed InRelease per suite (refuses a rollback): kept
 * CACHE/registry/, builds/, accelerator probe results: a few KiB, kept
 * </pre>
 */
public final class CacheCollector {
    /**
     * File systems keep modification times with a granularity (down to 2 s); a use stamped right after a goal
     * started must not look older than the start.
     */
    private static final Duration CLOCK_MARGIN = Duration.ofMinutes(1);

    private final Path cache;
    private final BuildLog log;

    public CacheCollector(Path cacheDirectory, BuildLog log) {
        this.cache = cacheDirectory.toAbsolutePath().normalize();
        this.log = log;
    }

    /** What one kind of cache content lost and kept. */
    public record Kind(String name, int removed, long removedBytes, int kept, long keptBytes) {
    }

    /**
     * @param cutoff       entries last used before this time were removed
     * @param runningGoals goals running on this cache meanwhile (their entries were kept)
     * @param inUse        store entries left because a build held their lock
     */
    public record Report(Path cache, Instant cutoff, int runningGoals, int inUse, List<Kind> kinds) {
        public long removedBytes() {
            return kinds.stream().mapToLong(Kind::removedBytes).sum();
        }

        public long keptBytes() {
            return kinds.stream().mapToLong(Kind::keptBytes).sum();
        }

        /** The report as log lines: one per kind, then the totals. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (Kind kind : kinds) {
                lines.add(String.format(Locale.ROOT, "  %-17s %5d removed %10s   %5d kept %10s", kind.name(),
                        kind.removed(), mib(kind.removedBytes()), kind.kept(), mib(kind.keptBytes())));
            }
            lines.add("Freed " + mib(removedBytes()) + "; the cache " + cache + " holds " + mib(keptBytes())
                    + (runningGoals > 0 ? "; " + runningGoals + " goal(s) running on it kept what they use" : "")
                    + (inUse > 0 ? "; " + inUse + " entr" + (inUse == 1 ? "y" : "ies") + " in use by a build" : ""));
            return lines;
        }
    }

    /** Removes what no goal used within {@code unusedFor} before {@code now}, nor the last goal, nor a running one. */
    public Report collect(Duration unusedFor, Instant now) throws IOException {
        Instant cutoff = now.minus(unusedFor);
        int running = 0;
        for (BuildRecord.Goal goal : BuildRecord.removeFinished(cache.resolve(BuildRecord.DIRECTORY))) {
            // the last finished goal and the running ones: what they used was stamped after they started
            Instant start = goal.started().minus(CLOCK_MARGIN);
            cutoff = start.isBefore(cutoff) ? start : cutoff;
            running += goal.running() ? 1 : 0;
        }
        log.debug("removing from " + cache + " what was last used before " + cutoff);
        StoreSweeper.Swept store = new StoreSweeper(new Store(cache.resolve("store"), log), log).removeUnusedSince(cutoff);
        List<Kind> kinds = new ArrayList<>();
        kinds.add(new Kind("store entries", store.removed(), store.removedBytes(), store.kept(), store.keptBytes()));
        kinds.add(files("packages (.deb)", cache.resolve("debs"), name -> name.endsWith(".deb"), cutoff));
        kinds.add(files("package indices", cache.resolve("indices"), name -> name.endsWith(".packages"), cutoff));
        kinds.add(files("resolutions", cache.resolve("resolutions"), name -> name.endsWith(".tsv"), cutoff));
        Kind parts = partialFiles(cutoff);
        kinds.add(new Kind("unfinished work", store.unfinished() + parts.removed(),
                store.unfinishedBytes() + parts.removedBytes(), parts.kept(), parts.keptBytes()));
        return new Report(cache, cutoff, running, store.inUse(), kinds);
    }

    /** Temporary files of downloads and atomic writes ({@code .NAME...part}) that stopped before {@code cutoff}. */
    private Kind partialFiles(Instant cutoff) throws IOException {
        List<Kind> parts = new ArrayList<>();
        for (String directory : List.of("debs", "indices", "resolutions", "releases")) {
            parts.add(files("", cache.resolve(directory), name -> name.startsWith(".") && name.endsWith(".part"),
                    cutoff));
        }
        return new Kind("", parts.stream().mapToInt(Kind::removed).sum(),
                parts.stream().mapToLong(Kind::removedBytes).sum(), parts.stream().mapToInt(Kind::kept).sum(),
                parts.stream().mapToLong(Kind::keptBytes).sum());
    }

    /** The files of {@code directory} whose name passes {@code kind}: removed when last used before the cutoff. */
    private Kind files(String name, Path directory, Predicate<String> kind, Instant cutoff) throws IOException {
        int removed = 0;
        long removedBytes = 0;
        int kept = 0;
        long keptBytes = 0;
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory,
                    p -> kind.test(p.getFileName().toString()) && Files.isRegularFile(p))) {
                for (Path file : files) {
                    try {
                        long bytes = Files.size(file);
                        if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                            Files.delete(file);
                            log.debug("removed " + file);
                            removed++;
                            removedBytes += bytes;
                        } else {
                            kept++;
                            keptBytes += bytes;
                        }
                    } catch (NoSuchFileException e) {
                        // removed meanwhile
                    }
                }
            }
        }
        return new Kind(name, removed, removedBytes, kept, keptBytes);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
