package dev.vmforge.fs;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The hard link groups of a tree: a regular file and the {@code HARDLINK} entries pointing at it.
 * Writers stream entries in path order, so a link may come before the file it names; each group is
 * written with its first path (in path order) carrying the content, which keeps output independent of
 * which path the package happened to name first.
 */
final class HardLinkGroups {
    private final Map<String, TreeSet<String>> groupByFile = new HashMap<>();
    private final Map<String, TreeSet<String>> groupByMember = new HashMap<>();

    HardLinkGroups(FileTree tree) {
        for (FileEntry e : tree.entries()) {
            if (e.type() == FileEntry.Type.HARDLINK) {
                FileEntry target = tree.get(e.linkTarget()).orElse(null);
                if (target == null || target.type() != FileEntry.Type.FILE) {
                    throw new UnsafePathException(e.path(), "hard link to '" + e.linkTarget()
                            + "', which is not a regular file in the tree");
                }
                TreeSet<String> group = groupByFile.computeIfAbsent(e.linkTarget(), k -> {
                    TreeSet<String> g = new TreeSet<>(FileTree.PATH_ORDER);
                    g.add(k);
                    return g;
                });
                group.add(e.path());
            }
        }
        groupByFile.values().forEach(g -> g.forEach(member -> groupByMember.put(member, g)));
    }

    /** The sorted paths sharing the inode of {@code path}, or null if it has no other link. */
    TreeSet<String> groupOf(String path) {
        return groupByMember.get(path);
    }

    /** The regular file entry holding the content of a group member. */
    static FileEntry fileOf(FileTree tree, FileEntry member) {
        return member.type() == FileEntry.Type.HARDLINK ? tree.get(member.linkTarget()).orElseThrow() : member;
    }
}
