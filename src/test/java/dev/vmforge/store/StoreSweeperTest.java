package dev.vmforge.store;

import dev.vmforge.BuildLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreSweeperTest {
    private static final Instant NOW = Instant.now();

    @TempDir
    Path dir;

    private Store store() {
        return new Store(dir.resolve("store"), BuildLog.silent());
    }

    /** Builds the output of {@code text} in {@code store} (a goal using it) and returns its entry. */
    private static Path entry(Store store, Derivation<Path> derivation) {
        return new Realizer(store, store, BuildLog.silent(), false).entry(derivation);
    }

    private static Path entry(Store store, String text) {
        return entry(store, new TestDerivation(text, Optional.empty(), Derivation.Location.SHARED));
    }

    private static void lastUsed(Path entry, Duration ago) throws IOException {
        Files.setLastModifiedTime(entry.resolve(Manifest.FILE_NAME), FileTime.from(NOW.minus(ago)));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("store"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".locks")).sorted().toList();
        }
    }

    @Test
    void vmGcRemovesEntriesUnusedSinceTheCutoffAndKeepsTheOthers() throws IOException {
        Path old = entry(store(), "old");
        Path recent = entry(store(), "recent");
        Path fresh = entry(store(), "fresh");
        lastUsed(old, Duration.ofDays(40));
        lastUsed(recent, Duration.ofDays(10));
        long oldBytes = 64 * 1024 + 3 + Files.size(old.resolve(Manifest.FILE_NAME));

        StoreSweeper.Swept swept = new StoreSweeper(store(), BuildLog.silent()).removeUnusedSince(NOW.minus(Duration.ofDays(30)));

        assertFalse(Files.exists(old));
        assertTrue(Files.isDirectory(recent) && Files.isDirectory(fresh));
        assertEquals(1, swept.removed());
        assertEquals(oldBytes, swept.removedBytes(), "out.txt, data.bin and the manifest");
        assertEquals(2, swept.kept());
        assertEquals(List.of(fresh.getFileName().toString(), recent.getFileName().toString()).stream().sorted().toList(),
                names(), "nothing else left behind");
    }

    @Test
    void findingAnEntryRecordsItsUse() throws IOException {
        Path entry = entry(store(), "used");
        lastUsed(entry, Duration.ofDays(40));
        assertEquals(entry, entry(store(), "used"), "found, not built again");
        Instant stamped = Store.lastUse(entry);
        assertTrue(stamped.isAfter(NOW.minus(Duration.ofMinutes(1))), "the use was recorded: " + stamped);
        new StoreSweeper(store(), BuildLog.silent()).removeUnusedSince(NOW.minus(Duration.ofDays(30)));
        assertTrue(Files.isDirectory(entry));
    }

    @Test
    void anUpToDateGoalStillRecordsTheUseOfItsOutputsInputs() throws IOException {
        TestDerivation input = new TestDerivation("input", Optional.empty(), Derivation.Location.SHARED);
        TestDerivation output = new TestDerivation("output", Optional.of(input), Derivation.Location.SHARED);
        Path inputEntry = entry(store(), input);
        Path outputEntry = entry(store(), output);
        lastUsed(inputEntry, Duration.ofDays(40));

        Realizer goal = new Realizer(store(), store(), BuildLog.silent(), false);
        assertEquals(outputEntry, goal.entry(output), "up to date: its input is not even looked at");
        assertTrue(Store.lastUse(inputEntry).isBefore(NOW.minus(Duration.ofDays(39))));
        goal.recordUse();
        assertTrue(Store.lastUse(inputEntry).isAfter(NOW.minus(Duration.ofMinutes(1))),
                "the input of an output in use is in use: rebuilding the output would need it");
    }

    @Test
    void anEntryWhoseKeyAnotherProcessHoldsIsKept() throws Exception {
        Path entry = entry(store(), "locked");
        lastUsed(entry, Duration.ofDays(40));
        String shortKey = entry.getFileName().toString().split("-", 2)[0];
        Process holder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), KeyLockHolder.class.getName(), dir.resolve("store").toString(),
                shortKey).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("holding " + shortKey, out.readLine(), "the other process took the lock");

            StoreSweeper.Swept swept = new StoreSweeper(store(), BuildLog.silent())
                    .removeUnusedSince(NOW.minus(Duration.ofDays(30)));
            assertTrue(Files.isDirectory(entry), "never removed under a held lock");
            assertEquals(1, swept.inUse());
            assertEquals(0, swept.removed());
        } finally {
            holder.getOutputStream().close(); // the holder exits when its input ends
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        new StoreSweeper(store(), BuildLog.silent()).removeUnusedSince(NOW.minus(Duration.ofDays(30)));
        assertFalse(Files.exists(entry), "once the lock is released, the old entry goes");
    }

    /** Another process that holds one key's lock, as a build of that key does, until its standard input ends. */
    public static final class KeyLockHolder {
        public static void main(String[] args) throws IOException {
            try (Store.KeyLock lock = new Store(Path.of(args[0]), BuildLog.silent()).tryLock(args[1])) {
                System.out.println(lock == null ? "not free" : "holding " + args[1]);
                System.out.flush();
                System.in.read();
            }
        }
    }

    @Test
    void aRunningBuildsTemporaryEntryStaysADeadBuildsGoes() throws Exception {
        Store store = store();
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        TestDerivation slow = new TestDerivation("slow", Optional.empty(), Derivation.Location.SHARED) {
            @Override
            public String build(Path out, Realizer realizer) throws IOException {
                building.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return super.build(out, realizer);
            }
        };
        CompletableFuture<Path> build = CompletableFuture.supplyAsync(() -> entry(store, slow));
        try {
            assertTrue(building.await(30, TimeUnit.SECONDS));
            // what a build killed earlier left (made now: the running build's store removed such leftovers first)
            Path dead = Files.createDirectories(dir.resolve("store/.tmp-0123456789abcdef0123456789abcdef-999999-test"));
            Files.writeString(dead.resolve("half"), "x");
            StoreSweeper.Swept swept = new StoreSweeper(store(), BuildLog.silent()).removeUnusedSince(NOW);
            assertEquals(1, swept.unfinished(), "the dead build's temporary entry");
            assertEquals(1, swept.inUse(), "the running build's");
            assertFalse(Files.exists(dead));
            assertTrue(names().stream().anyMatch(n -> n.startsWith(".tmp-") && n.endsWith("-test")), names().toString());
        } finally {
            finish.countDown();
        }
        Path entry = build.get(30, TimeUnit.SECONDS);
        assertEquals("slow", Files.readString(slow.read(entry)), "the running build finished undisturbed");
    }

    /** A derivation of another name than {@link TestDerivation}'s "test" (another goal's kind of output). */
    private static final class OtherKind extends TestDerivation {
        OtherKind(String text) {
            super(text);
        }

        @Override
        public String name() {
            return "other";
        }
    }

    @Test
    void afterAGoalTheProjectStoreKeepsItsOutputsAndTwoRecentAlternativesOfEachKind() throws IOException {
        Store earlier = store();
        Path hourAgo = entry(earlier, new TestDerivation("hour"));
        Path twoHoursAgo = entry(earlier, new TestDerivation("two hours"));
        Path threeHoursAgo = entry(earlier, new TestDerivation("three hours"));
        Path twoDaysAgo = entry(earlier, new TestDerivation("two days"));
        Path otherKind = entry(earlier, new OtherKind("other goal"));
        lastUsed(hourAgo, Duration.ofHours(1));
        lastUsed(twoHoursAgo, Duration.ofHours(2));
        lastUsed(threeHoursAgo, Duration.ofHours(3));
        lastUsed(twoDaysAgo, Duration.ofDays(2));
        lastUsed(otherKind, Duration.ofDays(300));

        Store goal = store();
        Path current = entry(goal, new TestDerivation("current"));
        StoreSweeper.Swept swept = new StoreSweeper(goal, BuildLog.silent()).removeSuperseded(NOW);

        assertTrue(Files.isDirectory(current));
        assertTrue(Files.isDirectory(hourAgo) && Files.isDirectory(twoHoursAgo), "two recent alternatives stay");
        assertFalse(Files.exists(threeHoursAgo), "a third goes");
        assertFalse(Files.exists(twoDaysAgo), "one unused for more than a day goes");
        assertTrue(Files.isDirectory(otherKind), "another goal's kind of output is that goal's to tidy");
        assertEquals(2, swept.removed());
    }

    @Test
    void aSupersededEntryAnotherGoalJustUsedStays() throws IOException {
        Path old = entry(store(), new TestDerivation("old"));
        lastUsed(old, Duration.ofDays(3));
        Store goal = store();
        entry(goal, new TestDerivation("current"));
        assertEquals(old, entry(store(), new TestDerivation("old")), "another goal of the project uses it now");
        new StoreSweeper(goal, BuildLog.silent()).removeSuperseded(NOW);
        assertTrue(Files.isDirectory(old));
    }
}
