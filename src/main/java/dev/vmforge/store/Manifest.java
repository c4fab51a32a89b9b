package dev.vmforge.store;

import dev.vmforge.Sha256;
import dev.vmforge.fs.HostFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code .manifest}, the last file written into a store entry: the entry's key and every file's path, size and
 * SHA-256. An entry is valid only when its manifest is complete and its files match it, so an output cut short
 * (power loss, full disk, a bad copy of a cache) or changed afterwards is never taken for a finished one.
 *
 * <pre>
 * vmforge-store-entry 1
 * key HEX
 * file SIZE SHA256 RELATIVE/PATH
 * ...
 * end
 * </pre>
 */
final class Manifest {
    static final String FILE_NAME = ".manifest";
    private static final String HEADER = "vmforge-store-entry 1";

    /** How much of an entry is checked against its manifest. */
    enum Check {
        /** Every file is there with its size: cheap, done on every use. */
        SIZES,
        /** Sizes and SHA-256 of every byte: done when the entry is read to build another output. */
        CONTENTS
    }

    private record Item(long size, String sha256) {
    }

    private Manifest() {
    }

    /**
     * Hashes every regular file of {@code dir}, forces files and directories to disk, then writes and forces the
     * manifest: once this returns, a rename of {@code dir} publishes an entry that survives a crash.
     */
    static void write(Path dir, DerivationKey key) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n').append("key ").append(key.hex()).append('\n');
        List<Path> directories = new ArrayList<>();
        for (Path file : walk(dir, directories)) {
            HostFiles.force(file);
            String sha256;
            try (InputStream in = Files.newInputStream(file)) {
                sha256 = Sha256.hex(in);
            }
            text.append("file ").append(Files.size(file)).append(' ').append(sha256).append(' ')
                    .append(relative(dir, file)).append('\n');
        }
        text.append("end\n");
        Path manifest = dir.resolve(FILE_NAME);
        Files.writeString(manifest, text, StandardCharsets.UTF_8);
        HostFiles.force(manifest);
        for (Path directory : directories) {
            HostFiles.force(directory);
        }
    }

    /** The files the manifest of a finished entry lists, in its order (sorted by path). */
    static List<EntryFile> files(Path dir) throws IOException {
        List<EntryFile> files = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            if (line.startsWith("file ")) {
                String[] parts = line.split(" ", 4);
                files.add(new EntryFile(parts[3], Long.parseLong(parts[1]), parts[2]));
            }
        }
        return files;
    }

    /** Why the entry at {@code dir} is not a valid output for {@code key}, or empty when it is. */
    static Optional<String> problem(Path dir, DerivationKey key, Check check) {
        Path manifest = dir.resolve(FILE_NAME);
        TreeMap<String, Item> items = new TreeMap<>();
        try {
            if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of("it has no manifest (an unfinished or foreign entry)");
            }
            List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
            if (lines.size() < 3 || !lines.get(0).equals(HEADER) || !lines.get(lines.size() - 1).equals("end")) {
                return Optional.of("its manifest is incomplete");
            }
            if (!lines.get(1).equals("key " + key.hex())) {
                return Optional.of("its manifest names another key");
            }
            for (String line : lines.subList(2, lines.size() - 1)) {
                String[] parts = line.split(" ", 4);
                if (parts.length != 4 || !parts[0].equals("file") || !parts[2].matches("[0-9a-f]{64}")) {
                    return Optional.of("its manifest has an unreadable line: " + line);
                }
                items.put(parts[3], new Item(Long.parseLong(parts[1]), parts[2]));
            }
            List<Path> files = walk(dir, new ArrayList<>());
            for (Path file : files) {
                String name = relative(dir, file);
                if (!name.equals(FILE_NAME) && !items.containsKey(name)) {
                    return Optional.of("it has a file its manifest does not list: " + name);
                }
            }
            for (var entry : items.entrySet()) {
                Path file = dir.resolve(entry.getKey());
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.of(entry.getKey() + " is missing");
                }
                long size = Files.size(file);
                if (size != entry.getValue().size()) {
                    return Optional.of(entry.getKey() + " has " + size + " bytes, the manifest says "
                            + entry.getValue().size());
                }
                if (check == Check.CONTENTS) {
                    String actual = Sha256.ofFile(file);
                    if (!actual.equals(entry.getValue().sha256())) {
                        return Optional.of(entry.getKey() + " does not have the SHA-256 its manifest records"
                                + " (its bytes changed after it was built)");
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("it cannot be read: " + e.getMessage());
        }
    }

    /** The regular files below {@code dir} (the manifest included), sorted; collects the directories. */
    private static List<Path> walk(Path dir, List<Path> directories) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted().toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    directories.add(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!p.getFileName().toString().equals(FILE_NAME) || !p.getParent().equals(dir)) {
                        files.add(p);
                    }
                } else {
                    throw new IOException("store outputs hold files and directories only, not " + relative(dir, p));
                }
            }
        }
        return files;
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }
}
