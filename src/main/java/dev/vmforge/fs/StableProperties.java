package dev.vmforge.fs;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A {@code .properties} file of a store output, written the same way each time: {@link Properties#store} writes the
 * current date as a comment (Java 17), which would make two builds of the same inputs differ (vm:challenge sees it).
 * The date is left out and the lines sorted; {@link Properties#load} reads the file (UTF-8, as a Reader) as before.
 */
public final class StableProperties {
    private StableProperties() {
    }

    public static void write(Properties properties, Path file) throws IOException {
        StringWriter text = new StringWriter();
        properties.store(text, null);
        String lines = Arrays.stream(text.toString().split("\\R")).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .sorted().collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(file, lines, StandardCharsets.UTF_8);
    }
}
