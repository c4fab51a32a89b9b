package dev.vmforge.store;

import dev.vmforge.BuildLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreTest {
    @TempDir
    Path dir;

    final List<String> warnings = new ArrayList<>();

    Realizer realizer(boolean verifyContents) {
        BuildLog log = new BuildLog() {
            @Override public void info(String message) { }
            @Override public void warn(String message) { warnings.add(message); }
            @Override public void debug(String message) { }
            @Override public boolean isDebugEnabled() { return false; }
        };
        return new Realizer(new Store(dir.resolve("shared"), log), new Store(dir.resolve("project"), log), log,
                verifyContents);
    }

    @Test
    void aSecondRealizeFindsTheOutputAndDoesNotBuild() throws IOException {
        TestDerivation d = new TestDerivation("a");
        Path first = realizer(false).realize(d);
        Path second = realizer(false).realize(d);
        assertEquals(first, second);
        assertEquals(1, d.builds.get());
        assertEquals("a", Files.readString(first));
        assertTrue(first.startsWith(dir.resolve("project")), "a PROJECT derivation lives in the project store");
        assertTrue(realizer(false).realize(new TestDerivation("s", Optional.empty(), Derivation.Location.SHARED))
                .startsWith(dir.resolve("shared")));
    }

    @Test
    void anEntryRecordsItsFilesInAManifestWrittenLast() throws IOException {
        Path entry = realizer(false).realize(new TestDerivation("m")).getParent();
        List<String> manifest = Files.readAllLines(entry.resolve(".manifest"));
        assertEquals("vmforge-store-entry 1", manifest.get(0));
        assertTrue(manifest.get(2).matches("file 65536 [0-9a-f]{64} data\\.bin"), manifest.toString());
        assertTrue(manifest.get(3).matches("file 1 [0-9a-f]{64} out\\.txt"), manifest.toString());
        assertEquals("end", manifest.get(manifest.size() - 1));
    }

    @Test
    void aFailedBuildLeavesNothingBehindAndTheNextOneBuilds() throws IOException {
        Realizer realizer = realizer(false);
        Derivation<Path> failing = new TestDerivation("b") {
            @Override
            public String build(Path out, Realizer r) throws IOException {
                Files.writeString(out.resolve("half"), "x");
                throw new IOException("disk full");
            }
        };
        assertThrows(RuntimeException.class, () -> realizer.realize(failing));
        try (Stream<Path> files = Files.list(dir.resolve("project"))) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".locks")).toList(),
                    "no output and no temporary may remain");
        }
        assertEquals("b", Files.readString(realizer(false).realize(new TestDerivation("b"))));
    }

    @Test
    void concurrentRealizationsOfOneKeyBuildOnce() throws Exception {
        TestDerivation d = new TestDerivation("c");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Path>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return realizer(false).realize(d); // four goals, each with its own realizer
            }));
        }
        start.countDown();
        for (Future<Path> f : results) {
            assertEquals("c", Files.readString(f.get()));
        }
        pool.shutdown();
        assertEquals(1, d.builds.get());
    }

    /** Each way an entry is damaged, and what use of it notices: a damaged entry is rebuilt, never used. */
    @Test
    void damagedEntriesAreDiscardedWithAWarningAndRebuiltAsAcleanBuildWould() throws IOException {
        List<Damage> damages = List.of(
                new Damage("truncated", true, entry -> truncate(entry.resolve("data.bin"), 1000)),
                new Damage("manifest missing", true, entry -> delete(entry.resolve(".manifest"))),
                new Damage("manifest cut short", true, entry -> truncate(entry.resolve(".manifest"), 60)),
                new Damage("file deleted", true, entry -> delete(entry.resolve("data.bin"))),
                new Damage("unlisted file added", true, entry -> write(entry.resolve("extra"), "x")),
                // same size, other bytes: only a byte-for-byte check sees it
                new Damage("range zeroed", false, entry -> zero(entry.resolve("data.bin"), 4096, 8192)));
        for (Damage damage : damages) {
            warnings.clear();
            String text = damage.name;
            byte[] clean = cleanOutput(text);
            TestDerivation d = new TestDerivation(text);
            Path entry = realizer(false).realize(d).getParent();
            damage.apply.accept(entry);
            // a goal's own output is checked for sizes; with vm.verify (or as another build's input) byte for byte
            Path again = realizer(!damage.sizeVisible).realize(d);
            assertEquals(2, d.builds.get(), damage.name + ": rebuilt");
            assertEquals(1, warnings.size(), damage.name + ": " + warnings);
            assertTrue(warnings.get(0).contains(entry.toString()), damage.name + ": the warning names the entry");
            assertArrayEquals(clean, Files.readAllBytes(again.resolveSibling("data.bin")), damage.name);
            assertEquals(text, Files.readString(again), damage.name);
            realizer(true).realize(d);
            assertEquals(2, d.builds.get(), damage.name + ": the rebuilt entry is whole");
        }
    }

    @Test
    void anInputReadToBuildAnotherOutputIsCheckedByteForByte() throws IOException {
        TestDerivation input = new TestDerivation("in");
        Path entry = realizer(false).realize(input).getParent();
        zero(entry.resolve("data.bin"), 0, 100);
        Files.writeString(entry.resolve("out.txt"), "xx"); // same size as "in", other bytes
        TestDerivation output = new TestDerivation("out", Optional.of(input), Derivation.Location.PROJECT);
        assertEquals("out+in", Files.readString(realizer(false).realize(output)));
        assertEquals(2, input.builds.get(), "the damaged input was rebuilt before use");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("SHA-256")), warnings.toString());
    }

    @Test
    void whatAKilledBuildLeftIsRemovedByTheNextOne() throws IOException {
        TestDerivation d = new TestDerivation("k");
        DerivationKey key = realizer(false).key(d);
        Path project = dir.resolve("project");
        // a dead build's temporary entry: nobody holds its key's lock
        Path stale = project.resolve(".tmp-" + key.shortHex() + "-999999-test");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("half"), "x");
        realizer(false).realize(new TestDerivation("other"));
        assertFalse(Files.exists(stale));
        assertEquals("k", Files.readString(realizer(false).realize(d)));
    }

    @Test
    void publishWritesTheTargetOnceAndAgainWhenItChangedOrItsKeyDid() throws IOException {
        Path target = dir.resolve("target/demo.txt");
        Path stamps = dir.resolve("target/vm/published");
        SingleFile one = new SingleFile("image 1");
        realizer(false).publish(one, target, stamps);
        assertEquals("image 1", Files.readString(target));
        realizer(false).publish(one, target, stamps);
        assertEquals(1, one.builds, "up to date: not written again");
        // what booting an image without snapshot=on does: same size, new time
        Files.writeString(target, "image X");
        Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(target).toMillis() + 5000));
        realizer(false).publish(one, target, stamps);
        assertEquals("image 1", Files.readString(target));
        assertEquals(2, one.builds);
        realizer(false).publish(new SingleFile("image 2"), target, stamps);
        assertEquals("image 2", Files.readString(target));
        assertFalse(Files.exists(dir.resolve("project")), "a published file is not kept in the store too");
    }

    @Test
    void anUpToDateGoalFileStillOffersItsStoredOutputsWhenPublishingIsOn() throws IOException {
        Path target = dir.resolve("target/demo.txt");
        Path stamps = dir.resolve("target/vm/published");
        TestDerivation system = new TestDerivation("system", Optional.empty(), Derivation.Location.SHARED) {
            @Override
            public boolean substitutable() {
                return true;
            }
        };
        SingleFile image = new SingleFile("image") {
            @Override
            public void declare(Inputs inputs) {
                super.declare(inputs);
                inputs.derivation("system", system);
            }

            @Override
            public String build(Path out, Realizer realizer) throws IOException {
                realizer.input(system);
                return super.build(out, realizer);
            }
        };
        realizer(false).publish(image, target, stamps); // built before publishing was turned on
        List<String> offered = new ArrayList<>();
        Substitutes recording = new Substitutes() {
            @Override public Optional<String> fetch(DerivationKey key, String name, Path out) { return Optional.empty(); }
            @Override public boolean publishes() { return true; }
            @Override public void publish(DerivationKey key, String name, Path entry, List<EntryFile> files) {
                offered.add(key.shortHex() + "-" + name + " " + files.size() + " files");
            }
        };
        Realizer publishing = new Realizer(new Store(dir.resolve("shared"), BuildLog.silent()),
                new Store(dir.resolve("project"), BuildLog.silent()), BuildLog.silent(), false, recording);

        publishing.publish(image, target, stamps);

        assertEquals(1, image.builds, "the goal's file was up to date");
        assertEquals(List.of(publishing.key(system).shortHex() + "-test 2 files"), offered,
                "the stored substitutable output is offered, its two files as its manifest lists them");
    }

    @Test
    void aFailedPublishKeepsTheOldFileWhole() throws IOException {
        Path target = dir.resolve("target/demo.txt");
        Path stamps = dir.resolve("target/vm/published");
        realizer(false).publish(new SingleFile("image 1"), target, stamps);
        SingleFile failing = new SingleFile("image 2") {
            @Override
            public String build(Path out, Realizer realizer) throws IOException {
                Files.writeString(out.resolve("file"), "half");
                throw new IOException("disk full");
            }
        };
        assertThrows(RuntimeException.class, () -> realizer(false).publish(failing, target, stamps));
        assertEquals("image 1", Files.readString(target), "the old file is not half-replaced");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of("demo.txt", "vm"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file left");
        }
    }

    private static class SingleFile implements Derivation<Path> {
        final String text;
        int builds;

        SingleFile(String text) {
            this.text = text;
        }

        @Override public String name() { return "single"; }
        @Override public String title() { return "Single"; }
        @Override public Location location() { return Location.PROJECT; }
        @Override public void declare(Inputs inputs) { inputs.text("text", text); }

        @Override
        public String build(Path out, Realizer realizer) throws IOException {
            builds++;
            Files.writeString(out.resolve("file"), text);
            return "written";
        }

        @Override
        public Path read(Path out) {
            return out.resolve("file");
        }
    }

    private byte[] cleanOutput(String text) throws IOException {
        Path cleanDir = Files.createTempDirectory(dir, "clean");
        Realizer clean = new Realizer(new Store(cleanDir, BuildLog.silent()), new Store(cleanDir, BuildLog.silent()),
                BuildLog.silent(), false);
        return Files.readAllBytes(clean.realize(new TestDerivation(text)).resolveSibling("data.bin"));
    }

    private record Damage(String name, boolean sizeVisible, Consumer<Path> apply) {
    }

    private static void truncate(Path file, long length) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void zero(Path file, long from, int length) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(from);
            f.write(new byte[length]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
