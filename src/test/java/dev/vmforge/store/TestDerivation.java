package dev.vmforge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A derivation for store tests: its output is {@code out.txt} holding its text (and, with an input, the input's
 * text after it) plus {@code data.bin}, 64 KiB derived from the text, so damage to a large file can be tried.
 */
class TestDerivation implements Derivation<Path> {
    final String text;
    final Optional<TestDerivation> input;
    final Location location;
    final AtomicInteger builds = new AtomicInteger();

    TestDerivation(String text) {
        this(text, Optional.empty(), Location.PROJECT);
    }

    TestDerivation(String text, Optional<TestDerivation> input, Location location) {
        this.text = text;
        this.input = input;
        this.location = location;
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String title() {
        return "Test " + text;
    }

    @Override
    public Location location() {
        return location;
    }

    @Override
    public void declare(Inputs inputs) {
        inputs.text("text", text);
        input.ifPresent(i -> inputs.derivation("input", i));
    }

    @Override
    public String build(Path out, Realizer realizer) throws IOException {
        builds.incrementAndGet();
        String content = text;
        if (input.isPresent()) {
            content += "+" + Files.readString(realizer.input(input.get()));
        }
        Files.writeString(out.resolve("out.txt"), content);
        byte[] data = new byte[64 * 1024];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (text.hashCode() + i * 31);
        }
        Files.write(out.resolve("data.bin"), data);
        return "built " + text;
    }

    @Override
    public Path read(Path out) {
        return out.resolve("out.txt");
    }
}
