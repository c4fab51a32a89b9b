package dev.vmforge.gc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A goal's mark in the shared cache, {@code CACHE/builds/PID-N-STARTMILLIS}: the time the goal started (in the name,
 * so reading it never opens a file another thread of this process has locked: closing any descriptor of a file
 * drops the process's POSIX locks on it), locked while the goal runs.
 * Everything a goal uses gets its last use stamped at or after that time, so {@link CacheCollector} keeps what the
 * last finished goal used (the newest unlocked record) and what running goals use (the locked records), however
 * old it is otherwise. Records of finished goals other than the newest are removed, by each new goal and by vm:gc.
 */
public final class BuildRecord implements AutoCloseable {
    static final String DIRECTORY = "builds";
    /** A record is written under this prefix and renamed once locked, so nobody takes it for a finished one. */
    private static final String NEW = ".new-";
    private static final AtomicLong COUNTER = new AtomicLong();
    /** The records this process holds: never opened again here (see above). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;

    private BuildRecord(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Marks a goal as started now and running until {@link #close()}. */
    public static BuildRecord start(Path cacheDirectory) throws IOException {
        return start(cacheDirectory, Instant.now());
    }

    static BuildRecord start(Path cacheDirectory, Instant started) throws IOException {
        Path directory = Files.createDirectories(cacheDirectory.toAbsolutePath().normalize().resolve(DIRECTORY));
        String name = ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + started.toEpochMilli();
        Path fresh = directory.resolve(NEW + name);
        FileChannel channel = FileChannel.open(fresh, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        Path file = directory.resolve(name);
        try {
            channel.lock();
            HELD.add(file);
            Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE); // the lock belongs to the open file: it stays
            removeFinished(directory);
            return new BuildRecord(file, channel);
        } catch (IOException | RuntimeException e) {
            HELD.remove(file);
            channel.close();
            Files.deleteIfExists(fresh);
            throw e;
        }
    }

    /** The goal ended: its record stays, unlocked, as the newest finished one until a later goal's replaces it. */
    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            HELD.remove(file);
        }
    }

    Path file() {
        return file;
    }

    /** One goal as its record tells it. */
    record Goal(Path file, Instant started, boolean running) {
    }

    /** Every goal recorded in {@code directory}, running or finished. */
    static List<Goal> read(Path directory) throws IOException {
        List<Goal> goals = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return goals;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, p -> !p.getFileName().toString()
                .startsWith("."))) {
            for (Path file : files) {
                started(file).ifPresent(started -> goals.add(new Goal(file, started, isLocked(file))));
            }
        }
        return goals;
    }

    /** Removes the records of finished goals but the newest (the last build); returns the goals left. */
    static List<Goal> removeFinished(Path directory) throws IOException {
        List<Goal> goals = read(directory);
        Optional<Goal> last = goals.stream().filter(goal -> !goal.running()).max(Comparator.comparing(Goal::started));
        List<Goal> left = new ArrayList<>();
        for (Goal goal : goals) {
            if (goal.running() || last.get().equals(goal)) {
                left.add(goal);
            } else {
                Files.deleteIfExists(goal.file());
            }
        }
        return left;
    }

    /** The start time in the name {@code PID-N-MILLIS}. */
    private static Optional<Instant> started(Path file) {
        String[] parts = file.getFileName().toString().split("-");
        try {
            return parts.length == 3 ? Optional.of(Instant.ofEpochMilli(Long.parseLong(parts[2]))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // not a record
        }
    }

    /** Whether a running goal (of this process or another) holds the record's lock. */
    private static boolean isLocked(Path file) {
        if (HELD.contains(file)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            return channel.tryLock() == null; // closing the channel releases a lock taken here
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
