package dev.vmforge.fs;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An in-memory root file system: entries by path, iterated in byte order of the path so that
 * every writer produces the same bytes for the same tree. Nothing is ever written to the host
 * with the entries' ownership; writers stream it as tar or cpio.
 *
 * <p>Adding an entry replaces one at the same path (as dpkg does when a later package ships the
 * same file) and creates missing parent directories (mode 0755, root).
 */
public final class FileTree {
    /** Byte order of the UTF-8 path, which is what {@code LC_ALL=C sort} and tar --sort=name give. */
    public static final Comparator<String> PATH_ORDER = Comparator.naturalOrder();

    private final TreeMap<String, FileEntry> entries = new TreeMap<>(PATH_ORDER);

    public FileTree add(FileEntry entry) {
        if (entry.path().isEmpty()) {
            return this; // the root itself is implicit
        }
        ensureParents(entry.path());
        FileEntry previous = entries.get(entry.path());
        if (previous != null && previous.isDirectory() && entry.isDirectory()) {
            return this; // a directory shipped by two packages keeps its first owner and mode, as dpkg does
        }
        if (previous != null && previous.isDirectory() && !entry.isDirectory()) {
            removeTree(entry.path());
        }
        entries.put(entry.path(), entry);
        return this;
    }

    /** Adds every entry of another tree, the other's winning on conflicts. */
    public FileTree addAll(FileTree other) {
        other.entries().forEach(this::add);
        return this;
    }

    public Optional<FileEntry> get(String path) {
        return Optional.ofNullable(entries.get(Paths.normalize(path)));
    }

    public boolean contains(String path) {
        return entries.containsKey(Paths.normalize(path));
    }

    /** Removes the entry at path and, for a directory, everything below it. */
    public void removeTree(String path) {
        String p = Paths.normalize(path);
        entries.remove(p);
        entries.subMap(p + "/", p + "0").clear(); // '0' is the character after '/'
    }

    public void removeIf(Predicate<FileEntry> condition) {
        entries.values().removeIf(condition);
    }

    /** All entries in path order; parents always come before their children. */
    public Collection<FileEntry> entries() {
        return Collections.unmodifiableCollection(entries.values());
    }

    public int size() {
        return entries.size();
    }

    /** Sum of regular file sizes, for image size estimates. */
    public long contentSize() {
        long total = 0;
        for (FileEntry e : entries.values()) {
            total += e.content().size();
        }
        return total;
    }

    private void ensureParents(String path) {
        String parent = Paths.parent(path);
        if (parent.isEmpty() || entries.containsKey(parent)) {
            FileEntry existing = parent.isEmpty() ? null : entries.get(parent);
            if (existing == null || existing.isDirectory()) {
                return;
            }
            throw new UnsafePathException(path, "its parent '" + parent + "' is a " + existing.type()
                    .name().toLowerCase() + ", not a directory");
        }
        ensureParents(parent);
        entries.put(parent, FileEntry.directory(parent, 0755));
    }
}
