package dev.vmforge.fs;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An in-memory root file system: entries by path, iterated in byte order of the path so that
 * every writer produces the same bytes for the same tree. Nothing is ever written to the host
 * with the entries' ownership; writers stream it as tar or cpio.
 *
 * <p>Adding an entry behaves like dpkg unpacking into a root directory:
 * <ul>
 *   <li>it replaces an entry at the same path (a later package shipping the same file wins);</li>
 *   <li>missing parent directories are created (mode 0755, root);</li>
 *   <li>a parent that is a symlink is followed within the tree, as the kernel would inside a chroot:
 *       with {@code lib -> usr/lib}, adding {@code lib/x.so} stores {@code usr/lib/x.so} (merged /usr);
 *       a symlink leading above the root is refused;</li>
 *   <li>a directory added where a symlink to a directory already is keeps the symlink;</li>
 *   <li>a hard link must name an existing regular file (through symlinked parents too); it is stored
 *       pointing at that file's path.</li>
 * </ul>
 */
public final class FileTree {
    /** Byte order of the UTF-8 path, which is what {@code LC_ALL=C sort} and tar --sort=name give. */
    public static final Comparator<String> PATH_ORDER = Comparator.naturalOrder();

    private final TreeMap<String, FileEntry> entries = new TreeMap<>(PATH_ORDER);

    /** Most symlinks followed while resolving one path, as Linux's ELOOP limit. */
    private static final int MAX_SYMLINK_HOPS = 40;

    /**
     * Adds an entry (see the class comment for the rules).
     *
     * @throws UnsafePathException if a symlinked parent leads outside the root, a parent is not a directory,
     *                             or a hard link does not name a regular file already in the tree
     */
    public FileTree add(FileEntry entry) {
        if (entry.path().isEmpty()) {
            return this; // the root itself is implicit
        }
        String resolved = resolveParents(entry.path());
        if (!resolved.equals(entry.path())) {
            entry = entry.withPath(resolved);
            if (resolved.isEmpty()) {
                return this;
            }
        }
        if (entry.type() == FileEntry.Type.HARDLINK) {
            entry = withCanonicalLinkTarget(entry);
        }
        ensureParents(entry.path());
        FileEntry previous = entries.get(entry.path());
        if (previous != null && previous.type() == FileEntry.Type.SYMLINK && entry.isDirectory()
                && resolve(entry.path()).map(FileEntry::isDirectory).orElse(false)) {
            return this; // dpkg keeps a symlink to a directory where a package ships the directory
        }
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

    /**
     * Resolves symlinks in every segment of {@code path} but the last, within the tree.
     * Absolute symlink targets start again at the root of the tree.
     *
     * @return the normalized path at which the entry is (or would be) stored
     * @throws UnsafePathException if a symlink leads above the root, loops, or a parent is not a directory
     */
    public String resolveParents(String path) {
        return resolveRaw(path, "", Paths.normalize(path));
    }

    /** The entry {@code path} leads to after following every symlink, or empty if it leads nowhere. */
    public Optional<FileEntry> resolve(String path) {
        String current = resolveParents(path);
        for (int hops = 0; hops <= MAX_SYMLINK_HOPS; hops++) {
            if (current.isEmpty()) {
                return Optional.of(FileEntry.directory("", 0755)); // the root
            }
            FileEntry e = entries.get(current);
            if (e == null || e.type() != FileEntry.Type.SYMLINK) {
                return Optional.ofNullable(e);
            }
            String base = e.linkTarget().startsWith("/") ? "" : Paths.parent(current);
            current = resolveRaw(path, base, e.linkTarget());
        }
        throw new UnsafePathException(path, "too many levels of symbolic links");
    }

    /** Resolves a possibly relative, {@code ..}-containing path from directory {@code base}, all but its last segment. */
    private String resolveRaw(String original, String base, String raw) {
        Deque<String> segments = new ArrayDeque<>(List.of(raw.split("/")));
        String last = segments.isEmpty() ? "" : segments.removeLast();
        String dir = resolveDirectory(original, base, segments);
        switch (last) {
            case "":
            case ".":
                return dir;
            case "..":
                if (dir.isEmpty()) {
                    throw new UnsafePathException(original, "a symbolic link on the way leads outside the root file system");
                }
                return Paths.parent(dir);
            default:
                return dir.isEmpty() ? last : dir + "/" + last;
        }
    }

    private String resolveDirectory(String original, String start, Deque<String> pending) {
        String dir = start;
        int hops = 0;
        while (!pending.isEmpty()) {
            String segment = pending.removeFirst();
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (dir.isEmpty()) {
                    throw new UnsafePathException(original, "a symbolic link on the way leads outside the root file system");
                }
                dir = Paths.parent(dir);
                continue;
            }
            String candidate = dir.isEmpty() ? segment : dir + "/" + segment;
            FileEntry existing = entries.get(candidate);
            if (existing != null && existing.type() == FileEntry.Type.SYMLINK) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new UnsafePathException(original, "too many levels of symbolic links");
                }
                String target = existing.linkTarget();
                if (target.startsWith("/")) {
                    dir = "";
                }
                String[] targetSegments = target.split("/");
                for (int i = targetSegments.length - 1; i >= 0; i--) {
                    pending.addFirst(targetSegments[i]);
                }
                continue;
            }
            if (existing != null && !existing.isDirectory()) {
                throw new UnsafePathException(original, "'" + candidate + "' is a "
                        + existing.type().name().toLowerCase(Locale.ROOT) + ", not a directory");
            }
            dir = candidate;
        }
        return dir;
    }

    private FileEntry withCanonicalLinkTarget(FileEntry link) {
        String target = resolveParents(link.linkTarget());
        FileEntry existing = entries.get(target);
        if (existing != null && existing.type() == FileEntry.Type.HARDLINK) {
            target = existing.linkTarget(); // always point at the regular file itself
            existing = entries.get(target);
        }
        if (existing == null || existing.type() != FileEntry.Type.FILE) {
            throw new UnsafePathException(link.path(), "hard link target '" + link.linkTarget()
                    + "' is not a regular file earlier in the archive");
        }
        if (target.equals(link.path())) {
            throw new UnsafePathException(link.path(), "hard link to itself");
        }
        return new FileEntry(link.path(), link.type(), link.mode(), link.uid(), link.gid(), link.mtime(),
                target, 0, 0, null);
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
