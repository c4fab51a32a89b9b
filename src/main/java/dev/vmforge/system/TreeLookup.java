package dev.vmforge.system;

import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.Paths;

import java.util.Optional;

/**
 * Looks paths up in a {@link FileTree} the way the booted kernel would, following symbolic links
 * (e.g. a merged-/usr {@code bin -> usr/bin}), so generated files land where the system will find them.
 */
final class TreeLookup {
    private static final int MAX_LINKS = 40; // as the kernel's ELOOP limit

    private TreeLookup() {
    }

    /**
     * The path with every symlinked component replaced by its target, e.g. {@code bin/sh} to {@code usr/bin/sh}
     * when {@code bin} links to {@code usr/bin}. The last component is followed too when {@code followLast}.
     */
    static String resolve(FileTree tree, String path, boolean followLast) {
        String pending = Paths.normalize(path);
        String resolved = "";
        int links = 0;
        while (!pending.isEmpty()) {
            int slash = pending.indexOf('/');
            String head = slash < 0 ? pending : pending.substring(0, slash);
            String rest = slash < 0 ? "" : pending.substring(slash + 1);
            String candidate = resolved.isEmpty() ? head : resolved + "/" + head;
            Optional<FileEntry> entry = tree.get(candidate);
            boolean isLast = rest.isEmpty();
            if (entry.isPresent() && entry.get().type() == FileEntry.Type.SYMLINK && (!isLast || followLast)) {
                if (++links > MAX_LINKS) {
                    return candidate; // a loop: give up, the caller sees a missing file
                }
                String target = entry.get().linkTarget();
                String base = target.startsWith("/") ? "" : resolved;
                pending = join(Paths.normalize(joinRaw(base, target)), rest);
                resolved = "";
                continue;
            }
            resolved = candidate;
            pending = rest;
        }
        return resolved;
    }

    /** The entry at path after following symlinks, if any. */
    static Optional<FileEntry> find(FileTree tree, String path) {
        return tree.get(resolve(tree, path, true));
    }

    /** True when something (file, link, ...) exists at path, following links in its directories only. */
    static boolean exists(FileTree tree, String path) {
        return tree.contains(resolve(tree, path, false));
    }

    private static String joinRaw(String base, String target) {
        // '..' is resolved textually against the already-resolved base, so a link never escapes the root
        String combined = base.isEmpty() ? target : base + "/" + target;
        StringBuilder out = new StringBuilder();
        for (String segment : combined.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                int cut = out.lastIndexOf("/");
                out.setLength(Math.max(cut, 0));
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment);
        }
        return out.toString();
    }

    private static String join(String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : a + "/" + b;
    }
}
