package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.fs.DiskSpace;
import dev.vmforge.fs.HostFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The work folder of one build step, {@code target/vm/tmp/STEP-PID-N}: named per process and step, so two builds
 * in one project (two goals, two formats, {@code mvn -T}) never share a work file, and deleted when the step
 * ends. What a killed build left is removed by the next one ({@link #removeStale}).
 */
final class Scratch implements AutoCloseable {
    private static final AtomicLong COUNTER = new AtomicLong();
    private final Path path;

    private Scratch(Path path) {
        this.path = path;
    }

    static Scratch create(BuildContext context, String step) {
        Path path = root(context).resolve(step + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        try {
            HostFiles.deleteRecursively(path);
            Files.createDirectories(path);
        } catch (IOException e) {
            throw DiskSpace.explain(e, path.getParent(), "the work folder of " + step);
        }
        return new Scratch(path);
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        HostFiles.deleteQuietly(path);
    }

    /** Deletes the work folders of processes that are gone (a build killed mid-step). */
    static void removeStale(BuildContext context, BuildLog log) {
        Path root = root(context);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                Optional<Long> pid = pidOf(folder.getFileName().toString());
                boolean alive = pid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    log.debug("removing " + folder + ", left by a build that did not finish");
                    HostFiles.deleteRecursively(folder);
                }
            }
        } catch (IOException e) {
            log.warn("could not remove what an unfinished build left in " + root + ": " + e.getMessage());
        }
    }

    private static Optional<Long> pidOf(String name) {
        String[] parts = name.split("-");
        if (parts.length < 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(parts[parts.length - 2]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Path root(BuildContext context) {
        return context.workDirectory().resolve("tmp");
    }
}
