package dev.vmforge.store;

import dev.vmforge.BuildLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class InputsTest {
    static DerivationKey key(String name, Consumer<Inputs> declare) {
        return key(name, "1.0", declare);
    }

    static DerivationKey key(String name, String pluginVersion, Consumer<Inputs> declare) {
        Inputs inputs = new Inputs(name, pluginVersion, d -> {
            throw new AssertionError("no input derivations here");
        });
        declare.accept(inputs);
        return inputs.key();
    }

    @Test
    void fieldBoundariesAndTypesAreEncodedSoDifferentInputsNeverCollide() {
        assertNotEquals(key("s", i -> i.text("x", "ab").text("y", "c")), key("s", i -> i.text("x", "a").text("y", "bc")));
        // a value that prints like two variables in a toString() is still one value
        assertNotEquals(key("s", i -> i.map("env", Map.of("A", "1, B=x"))),
                key("s", i -> i.map("env", Map.of("A", "1", "B", "x"))));
        assertNotEquals(key("s", i -> i.texts("args", List.of("a b"))), key("s", i -> i.texts("args", List.of("a", "b"))));
        assertNotEquals(key("s", i -> i.text("n", "1")), key("s", i -> i.number("n", 1)));
        assertNotEquals(key("s", i -> i.text("n", null)), key("s", i -> i.text("n", "")));
        assertNotEquals(key("s", i -> i.text("x", "a")), key("t", i -> i.text("x", "a")));
        assertNotEquals(key("s", i -> i.list("l", List.of("a", "b"), (in, v) -> in.text("v", v))),
                key("s", i -> i.list("l", List.of("a"), (in, v) -> in.text("v", v)).text("v", "b")));
        assertEquals(key("s", i -> i.map("env", Map.of("A", "1", "B", "2"))),
                key("s", i -> i.map("env", new java.util.TreeMap<>(Map.of("B", "2", "A", "1")))),
                "a map's order is not an input");
    }

    @Test
    void thePluginVersionIsAnInput() {
        Consumer<Inputs> same = i -> i.text("x", "a");
        assertNotEquals(key("s", "1.0", same), key("s", "1.1", same));
    }

    @Test
    void filesAreInputsByTheirBytes(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("motd");
        Files.writeString(f, "hello");
        DerivationKey first = key("s", i -> i.file("motd", f));
        Files.writeString(f, "hello!");
        assertNotEquals(first, key("s", i -> i.file("motd", f)));
        Path g = dir.resolve("other-name");
        Files.writeString(g, "hello!");
        assertEquals(key("s", i -> i.file("motd", f)), key("s", i -> i.file("motd", g)),
                "the bytes count, not where the file is");
    }

    @Test
    void inputDerivationsCountByTheirKeys(@TempDir Path dir) {
        Realizer realizer = new Realizer(new Store(dir, BuildLog.silent()), new Store(dir, BuildLog.silent()),
                BuildLog.silent(), false);
        TestDerivation a = new TestDerivation("a");
        TestDerivation b = new TestDerivation("b");
        TestDerivation onA = new TestDerivation("x", java.util.Optional.of(a), Derivation.Location.PROJECT);
        TestDerivation onB = new TestDerivation("x", java.util.Optional.of(b), Derivation.Location.PROJECT);
        assertNotEquals(realizer.key(onA), realizer.key(onB));
        assertEquals(realizer.key(onA), realizer.key(new TestDerivation("x", java.util.Optional.of(new TestDerivation("a")),
                Derivation.Location.PROJECT)));
    }
}
