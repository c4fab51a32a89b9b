package dev.vmforge.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreTest {
    @TempDir
    Path dir;

    private static DerivationKey key(String value) {
        return DerivationKey.builder("test").add("value", value).build();
    }

    @Test
    void keysDependOnEveryInputAndItsBoundaries() {
        DerivationKey ab = DerivationKey.builder("s").add("x", "ab").add("y", "c").build();
        DerivationKey bc = DerivationKey.builder("s").add("x", "a").add("y", "bc").build();
        DerivationKey again = DerivationKey.builder("s").add("x", "ab").add("y", "c").build();
        assertNotEquals(ab, bc);
        assertEquals(ab, again);
        assertNotEquals(ab, DerivationKey.builder("other").add("x", "ab").add("y", "c").build());
    }

    @Test
    void fileInputsChangeTheKey(@TempDir Path files) throws IOException {
        Path f = files.resolve("motd");
        Files.writeString(f, "hello");
        DerivationKey first = DerivationKey.builder("s").addFile("motd", f).build();
        Files.writeString(f, "hello!");
        assertNotEquals(first, DerivationKey.builder("s").addFile("motd", f).build());
    }

    @Test
    void secondRealizeIsAHitAndDoesNotRunTheBuilder() {
        Store store = new Store(dir);
        AtomicInteger runs = new AtomicInteger();
        Store.Builder builder = out -> {
            runs.incrementAndGet();
            Files.writeString(out, "content");
        };
        Store.Result first = store.realize(key("a"), "thing.txt", builder);
        Store.Result second = store.realize(key("a"), "thing.txt", builder);
        assertTrue(first.built());
        assertFalse(second.built());
        assertEquals(first.path(), second.path());
        assertEquals(1, runs.get());
    }

    @Test
    void failedBuildLeavesNothingBehind() throws IOException {
        Store store = new Store(dir);
        assertThrows(IllegalStateException.class, () -> store.realize(key("b"), "out", out -> {
            Files.createDirectories(out.resolve("half"));
            Files.writeString(out.resolve("half/written"), "x");
            throw new IllegalStateException("boom");
        }));
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".locks")).toList();
            assertEquals(List.of(), names, "no output and no temporary may remain");
        }
        Store.Result retry = store.realize(key("b"), "out", out -> Files.writeString(out, "ok"));
        assertTrue(retry.built());
        assertEquals("ok", Files.readString(retry.path()));
    }

    @Test
    void concurrentRealizeOfOneKeyBuildsOnce() throws Exception {
        Store store = new Store(dir);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Path>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return store.realize(key("c"), "shared", out -> {
                    runs.incrementAndGet();
                    Thread.sleep(100);
                    Files.writeString(out, "once");
                }).path();
            }));
        }
        start.countDown();
        for (Future<Path> f : results) {
            assertEquals("once", Files.readString(f.get()));
        }
        pool.shutdown();
        assertEquals(1, runs.get());
    }
}
