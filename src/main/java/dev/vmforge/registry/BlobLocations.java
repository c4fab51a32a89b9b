package dev.vmforge.registry;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * Which repositories of a registry this machine pushed a blob to, so that a push to another repository of the
 * same registry can mount the blob instead of sending it (docker keeps the same record). Only a hint: a wrong or
 * lost entry costs an upload, never correctness, so concurrent writers may overwrite each other.
 * One properties file per registry: {@code sha256:HEX=repo1 repo2} (most recent first, at most a few).
 */
public final class BlobLocations {
    private static final int REPOSITORIES_PER_BLOB = 4;

    private final Path directory;

    private BlobLocations(Path directory) {
        this.directory = directory;
    }

    /** Kept in {@code directory} (e.g. in the shared cache). */
    public static BlobLocations in(Path directory) {
        return new BlobLocations(directory);
    }

    /** Remembers nothing: every push to a new repository uploads. */
    public static BlobLocations none() {
        return new BlobLocations(null);
    }

    /** Repositories of {@code registry} that were given {@code digest}, most recent first. */
    public List<String> repositories(String registry, Digest digest) {
        return repositories(load(registry), digest);
    }

    /** Records that {@code repository} of {@code registry} now holds {@code digests}. */
    public void record(String registry, String repository, Collection<Digest> digests) {
        if (directory == null || digests.isEmpty()) {
            return;
        }
        Properties entries = load(registry);
        for (Digest digest : digests) {
            List<String> repositories = new ArrayList<>(repositories(entries, digest));
            repositories.remove(repository);
            repositories.add(0, repository);
            entries.setProperty(digest.toString(), String.join(" ",
                    repositories.subList(0, Math.min(REPOSITORIES_PER_BLOB, repositories.size()))));
        }
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, ".locations", ".tmp");
            try {
                try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    entries.store(out, "repositories of " + registry + " that hold each blob (vm-maven-plugin)");
                }
                Files.move(temp, file(registry), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            // only a hint for later pushes: losing it costs an upload
        }
    }

    private static List<String> repositories(Properties entries, Digest digest) {
        String value = entries.getProperty(digest.toString());
        return value == null ? List.of() : Arrays.stream(value.trim().split(" ")).filter(s -> !s.isEmpty()).toList();
    }

    private Properties load(String registry) {
        Properties entries = new Properties();
        if (directory != null && Files.isRegularFile(file(registry))) {
            try (Reader in = Files.newBufferedReader(file(registry), StandardCharsets.UTF_8)) {
                entries.load(in);
            } catch (IOException | IllegalArgumentException e) {
                return new Properties(); // a damaged hint file is as good as none
            }
        }
        return entries;
    }

    private Path file(String registry) {
        return directory.resolve(registry.replaceAll("[^A-Za-z0-9.-]", "_") + ".properties");
    }
}
