package dev.vmforge.vm;

import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Follows symbolic and hard links inside a {@link FileTree} as the guest kernel would, treating the
 * tree's root as {@code /}: absolute targets start at the root and {@code ..} never climbs above it.
 */
final class TreeLinks {
    private static final int MAX_LINKS = 40; // as Linux's ELOOP limit

    private TreeLinks() {
    }

    /**
     * The path of the file a path names once every link on the way is followed, with the chain of
     * link entries met (in order), or empty when the path names nothing in the tree.
     */
    static Optional<Resolved> resolve(FileTree tree, String path) {
        List<FileEntry> links = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>(segments(path));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String segment = pending.pop();
            if (segment.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            done.add(segment);
            String current = String.join("/", done);
            Optional<FileEntry> entry = tree.get(current);
            if (entry.isEmpty()) {
                return Optional.empty();
            }
            FileEntry e = entry.get();
            if (e.type() == FileEntry.Type.SYMLINK || e.type() == FileEntry.Type.HARDLINK) {
                if (++hops > MAX_LINKS) {
                    return Optional.empty();
                }
                links.add(e);
                done.remove(done.size() - 1);
                String target = e.linkTarget();
                if (e.type() == FileEntry.Type.HARDLINK || target.startsWith("/")) {
                    done.clear(); // hard-link targets are tree paths; absolute symlinks start at the root
                }
                List<String> targetSegments = segments(target);
                for (int i = targetSegments.size() - 1; i >= 0; i--) {
                    pending.push(targetSegments.get(i));
                }
            }
        }
        String resolved = String.join("/", done);
        return tree.get(resolved).map(file -> new Resolved(file, links));
    }

    /** The entry finally reached (never a link) and the links followed to get there. */
    record Resolved(FileEntry entry, List<FileEntry> links) {
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                out.add(s);
            }
        }
        return out;
    }
}
