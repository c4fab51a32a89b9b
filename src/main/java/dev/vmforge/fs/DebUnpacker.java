package dev.vmforge.fs;

import dev.vmforge.BuildException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Unpacks the data archives of {@code .deb} files into a {@link FileTree}, as {@code dpkg --unpack} would
 * into an empty root, but in memory: modes, numeric owners, mtimes, symlinks, hard links, device nodes and
 * FIFOs are kept; nothing is written to the host disk.
 *
 * <p>Entries that could escape the root are refused with an {@link UnsafePathException} naming the package
 * file and the entry: absolute or {@code ..} names, hard links to anything but an earlier regular file,
 * symlinks whose target climbs above the root, and paths leading through such a symlink.
 *
 * <p>Decompression, the slow part, runs for several packages in parallel; the tree is then filled in the
 * given order, so the result does not depend on timing.
 */
public final class DebUnpacker {
    private DebUnpacker() {
    }

    /** Unpacks the packages in order (a later package's file replaces an earlier one's). */
    public static List<UnpackedPackage> unpack(List<Path> debs, FileTree tree) throws IOException {
        Map<Path, String> unchecked = new HashMap<>();
        return unpack(debs, unchecked, tree);
    }

    /**
     * As {@link #unpack(List, FileTree)}, checking each file's SHA-256 while it is read (a cached package is
     * used only while it still matches its index).
     *
     * @param sha256 the expected digest of each file; files without one are not checked
     * @throws CorruptFileException naming a file that does not match; nothing was added to the tree then
     */
    public static List<UnpackedPackage> unpack(List<Path> debs, Map<Path, String> sha256, FileTree tree)
            throws IOException {
        List<ReadPackage> read = readAll(debs, sha256);
        List<UnpackedPackage> unpacked = new ArrayList<>(read.size());
        for (ReadPackage p : read) {
            unpacked.add(p.addTo(tree));
        }
        return unpacked;
    }

    public static UnpackedPackage unpack(Path deb, FileTree tree) throws IOException {
        return unpack(List.of(deb), tree).get(0);
    }

    private static List<ReadPackage> readAll(List<Path> debs, Map<Path, String> sha256) throws IOException {
        int threads = Math.min(debs.size(), Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
        if (threads <= 1) {
            List<ReadPackage> read = new ArrayList<>();
            for (Path deb : debs) {
                read.add(ReadPackage.read(deb, sha256.get(deb)));
            }
            return read;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "deb-unpacker");
            t.setDaemon(true);
            return t;
        });
        try {
            // start the largest packages first so one big package does not finish alone at the end
            List<Path> bySize = new ArrayList<>(debs);
            bySize.sort(Comparator.comparingLong(DebUnpacker::sizeOf).reversed());
            Map<Path, Future<ReadPackage>> started = new HashMap<>();
            for (Path deb : bySize) {
                started.computeIfAbsent(deb, d -> pool.submit(() -> ReadPackage.read(d, sha256.get(d))));
            }
            List<Future<ReadPackage>> futures = new ArrayList<>();
            for (Path deb : debs) {
                futures.add(started.get(deb));
            }
            List<ReadPackage> read = new ArrayList<>();
            for (Future<ReadPackage> f : futures) {
                read.add(f.get());
            }
            return read;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking packages", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new BuildException("unpacking failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // reported when the package is read
        }
    }

    /** A package's data entries, read and checked, not yet in a tree. */
    private record ReadPackage(DebPackage deb, List<FileEntry> entries, List<String> rawNames) {

        static ReadPackage read(Path deb, String sha256) throws IOException {
            List<FileEntry> entries = new ArrayList<>();
            List<String> rawNames = new ArrayList<>();
            DebPackage pkg = DebPackage.read(deb, (e, content) -> {
                FileEntry entry = toFileEntry(deb, e, content);
                if (!entry.path().isEmpty()) {
                    entries.add(entry);
                    rawNames.add(e.getName());
                }
            }, sha256);
            return new ReadPackage(pkg, entries, rawNames);
        }

        UnpackedPackage addTo(FileTree tree) {
            Set<String> paths = new LinkedHashSet<>();
            for (int i = 0; i < entries.size(); i++) {
                FileEntry entry = entries.get(i);
                try {
                    tree.add(entry);
                } catch (UnsafePathException e) {
                    throw new UnsafePathException(deb.file(), rawNames.get(i), e.reason());
                }
                paths.add(entry.path());
            }
            return new UnpackedPackage(deb, new ArrayList<>(paths));
        }
    }

    private static FileEntry toFileEntry(Path deb, TarArchiveEntry e, InputStream content) throws IOException {
        try {
            return TarEntries.toFileEntry(e, entry -> {
                long size = entry.getSize();
                if (size > Integer.MAX_VALUE - 16) {
                    throw new IOException(deb + ": entry '" + entry.getName() + "' is too large to hold in memory ("
                            + size + " bytes)");
                }
                byte[] bytes = new byte[(int) size]; // filled in place: readNBytes(int) would copy it twice
                if (content.readNBytes(bytes, 0, bytes.length) != size) {
                    throw new IOException(deb + ": entry '" + entry.getName() + "' is truncated");
                }
                return new MemoryContent(bytes);
            });
        } catch (UnsafePathException unsafe) {
            throw new UnsafePathException(deb, e.getName(), unsafe.reason());
        } catch (UncheckedIOException io) {
            throw io.getCause();
        }
    }


}
