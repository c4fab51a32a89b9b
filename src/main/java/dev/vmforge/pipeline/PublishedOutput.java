package dev.vmforge.pipeline;

import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A goal's final file under {@code target/} (the image a user boots or loads), written straight there rather
 * than kept in the store as well: one write per change and no pile of old images. A stamp beside the work files
 * records the key it was written for and the file's size and time; the file is written again when the key
 * changes or the file was modified since (booting an image without {@code snapshot=on} writes to it).
 */
final class PublishedOutput {
    private final Path target;
    private final Path stamp;

    PublishedOutput(Path target, Path workDirectory) {
        this.target = target;
        this.stamp = workDirectory.resolve("published").resolve(target.getFileName() + ".stamp");
    }

    Path path() {
        return target;
    }

    /** Whether the file is there, as written for {@code key}. */
    boolean upToDate(DerivationKey key) {
        try {
            return Files.isRegularFile(stamp) && Files.isRegularFile(target)
                    && Files.readAllLines(stamp, StandardCharsets.UTF_8).equals(stampLines(key));
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes the file for {@code key} with {@code writer} (into a temporary file, then renamed). */
    Path write(DerivationKey key, Store.Builder writer) {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(stamp); // until the new file is complete, it is not up to date
            Files.deleteIfExists(temp);
            writer.build(temp);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.createDirectories(stamp.getParent());
            Files.write(stamp, stampLines(key), StandardCharsets.UTF_8);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.vmforge.BuildException("interrupted while writing " + target, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temporary file is replaced by the next build
            }
        }
    }

    private List<String> stampLines(DerivationKey key) throws IOException {
        return List.of(key.hex(), Long.toString(Files.size(target)),
                Long.toString(Files.getLastModifiedTime(target).toMillis()));
    }
}
