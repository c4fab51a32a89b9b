package dev.vmforge.gc;

import dev.vmforge.BuildLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CacheCollectorTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    @TempDir
    Path cache;

    private static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    /** A store entry as a goal leaves it: files and a manifest whose time is the entry's last use. */
    private Path storeEntry(String key, String name, int bytes, Instant lastUse) throws IOException {
        Path entry = Files.createDirectories(cache.resolve("store").resolve(key.repeat(32).substring(0, 32) + "-" + name));
        Files.write(entry.resolve("data"), new byte[bytes]);
        Path manifest = Files.writeString(entry.resolve(".manifest"), "vmforge-store-entry 1\n");
        Files.setLastModifiedTime(manifest, FileTime.from(lastUse));
        return entry;
    }

    private Path file(String relative, int bytes, Instant lastUse) throws IOException {
        Path file = cache.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[bytes]);
        Files.setLastModifiedTime(file, FileTime.from(lastUse));
        return file;
    }

    /** The record of a goal that started at {@code started} and has ended. */
    private Path finishedGoal(long pid, Instant started) throws IOException {
        return Files.createFile(Files.createDirectories(cache.resolve("builds"))
                .resolve(pid + "-1-" + started.toEpochMilli()));
    }

    private CacheCollector.Report collect() throws IOException {
        return new CacheCollector(cache, BuildLog.silent()).collect(THIRTY_DAYS, NOW);
    }

    @Test
    void removesWhatNoBuildUsedForTheGivenDaysAndReportsWhatItFreedPerKind() throws IOException {
        Path oldEntry = storeEntry("a", "configured", 3 << 20, daysAgo(40));
        Path newEntry = storeEntry("b", "configured", 1 << 20, daysAgo(5));
        Path oldDeb = file("debs/" + "1".repeat(64) + ".deb", 2 << 20, daysAgo(31));
        Path newDeb = file("debs/" + "2".repeat(64) + ".deb", 1000, daysAgo(29));
        Path oldIndex = file("indices/" + "3".repeat(64) + ".packages", 1000, daysAgo(90));
        Path oldResolution = file("resolutions/" + "4".repeat(64) + ".tsv", 100, daysAgo(90));
        Path stalledDownload = file("debs/." + "5".repeat(64) + "123.part", 500, daysAgo(60));
        Path release = file("releases/deb.debian.org_debian__bookworm-ff90851feccd/InRelease", 100, daysAgo(400));

        CacheCollector.Report report = collect();

        for (Path gone : List.of(oldEntry, oldDeb, oldIndex, oldResolution, stalledDownload)) {
            assertFalse(Files.exists(gone), gone + " was unused for more than 30 days");
        }
        for (Path kept : List.of(newEntry, newDeb)) {
            assertTrue(Files.exists(kept), kept + " was used within 30 days");
        }
        assertTrue(Files.exists(release), "the newest InRelease seen is what refuses a rollback: never removed");
        assertEquals(List.of("store entries", "packages (.deb)", "package indices", "resolutions", "unfinished work"),
                report.kinds().stream().map(CacheCollector.Kind::name).toList());
        CacheCollector.Kind store = report.kinds().get(0);
        assertEquals(1, store.removed());
        assertEquals((3 << 20) + "vmforge-store-entry 1\n".length(), store.removedBytes());
        assertEquals(1, store.kept());
        CacheCollector.Kind debs = report.kinds().get(1);
        assertEquals(List.of(1, 2L << 20, 1, 1000L), List.of(debs.removed(), debs.removedBytes(), debs.kept(),
                debs.keptBytes()));
        assertEquals(1, report.kinds().get(4).removed(), "the stalled download's part file");
        assertEquals((3 << 20) + 22 + (2 << 20) + 1000 + 100 + 500, report.removedBytes());
        assertTrue(report.lines().get(0).matches("  store entries +1 removed +3\\.0 MiB +1 kept +1\\.0 MiB"),
                report.lines().get(0));
        assertTrue(report.lines().get(5).startsWith("Freed 5.0 MiB; the cache " + cache.toAbsolutePath().normalize()
                + " holds 1.0 MiB"), report.lines().get(5));
    }

    @Test
    void whatTheLastBuildUsedStaysHoweverOld() throws IOException {
        finishedGoal(11, daysAgo(90));
        Path lastGoal = finishedGoal(12, daysAgo(60));
        Path usedByTheLastGoal = storeEntry("a", "configured", 10, daysAgo(60).plusSeconds(30));
        Path debOfTheLastGoal = file("debs/" + "1".repeat(64) + ".deb", 10, daysAgo(59));
        Path usedBefore = storeEntry("b", "configured", 10, daysAgo(61));

        collect();

        assertTrue(Files.exists(usedByTheLastGoal) && Files.exists(debOfTheLastGoal));
        assertFalse(Files.exists(usedBefore));
        try (var records = Files.list(cache.resolve("builds"))) {
            assertEquals(List.of(lastGoal), records.toList(), "only the newest finished goal's record is kept");
        }
    }

    @Test
    void whatARunningBuildUsesStaysUntilItEnds() throws IOException {
        finishedGoal(12, daysAgo(10));
        Path usedByTheRunningGoal = storeEntry("a", "configured", 10, daysAgo(44));
        Path debOfTheRunningGoal = file("debs/" + "1".repeat(64) + ".deb", 10, daysAgo(44));
        Path usedBefore = storeEntry("b", "configured", 10, daysAgo(46));
        try (BuildRecord running = BuildRecord.start(cache, daysAgo(45))) {
            CacheCollector.Report report = collect();

            assertTrue(Files.exists(usedByTheRunningGoal) && Files.exists(debOfTheRunningGoal));
            assertFalse(Files.exists(usedBefore));
            assertEquals(1, report.runningGoals());
            assertTrue(Files.exists(running.file()), "a running goal's record stays");
            assertTrue(report.lines().get(5).contains("1 goal(s) running on it kept what they use"),
                    report.lines().get(5));
        }
        collect();
        assertFalse(Files.exists(usedByTheRunningGoal), "once it ended, 44 days unused is too old");
        assertFalse(Files.exists(debOfTheRunningGoal));
    }

    @Test
    void zeroDaysKeepsOnlyTheLastBuildsEntries() throws IOException {
        finishedGoal(12, NOW.minus(Duration.ofHours(2)));
        Path used = storeEntry("a", "configured", 10, NOW.minus(Duration.ofHours(1)));
        Path unused = storeEntry("b", "configured", 10, NOW.minus(Duration.ofHours(3)));
        new CacheCollector(cache, BuildLog.silent()).collect(Duration.ZERO, NOW);
        assertTrue(Files.exists(used));
        assertFalse(Files.exists(unused));
    }

    @Test
    void aGoalStartingRemovesTheRecordsOfFinishedGoalsButTheNewest() throws IOException {
        finishedGoal(11, daysAgo(3));
        Path newest = finishedGoal(12, daysAgo(2));
        try (BuildRecord goal = BuildRecord.start(cache)) {
            try (var records = Files.list(cache.resolve("builds"))) {
                assertEquals(List.of(goal.file(), newest).stream().sorted().toList(), records.sorted().toList());
            }
        }
    }
}
