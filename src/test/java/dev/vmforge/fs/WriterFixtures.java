package dev.vmforge.fs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A small tree with every entry type, buildable in any insertion order. */
final class WriterFixtures {
    private WriterFixtures() {
    }

    static List<FileEntry> entries() {
        List<FileEntry> list = new ArrayList<>();
        list.add(FileEntry.directory("etc", 0755));
        list.add(FileEntry.file("etc/hostname", 0644, "vm\n").withMtime(1_700_000_000L));
        list.add(FileEntry.file("etc/shadow", 0640, "root:*:1::::::\n").withOwner(0, 42));
        list.add(FileEntry.directory("usr/bin", 0755));
        list.add(FileEntry.file("usr/bin/zzz-gzip", 0755, "gzip-binary"));
        list.add(new FileEntry("usr/bin/gunzip", FileEntry.Type.HARDLINK, 0755, 0, 0, 0, "usr/bin/zzz-gzip", 0, 0, null));
        list.add(FileEntry.symlink("bin", "usr/bin"));
        list.add(new FileEntry("dev/console", FileEntry.Type.CHAR_DEVICE, 0600, 0, 5, 0, null, 5, 1, null));
        list.add(new FileEntry("dev/sda", FileEntry.Type.BLOCK_DEVICE, 0660, 0, 6, 0, null, 8, 0, null));
        list.add(new FileEntry("run/initctl", FileEntry.Type.FIFO, 0600, 0, 0, 0, null, 0, 0, null));
        list.add(FileEntry.file("usr/share/doc/" + "a-very-long-directory-name-".repeat(5) + "/copyright", 0644, "GPL"));
        list.add(FileEntry.symlink("usr/lib/long-link", "/" + "x".repeat(150)));
        list.add(FileEntry.file("home/u/.profile", 0600, "PS1=$\n").withOwner(1000, 1000));
        return list;
    }

    static FileTree tree(long shuffleSeed) {
        List<FileEntry> list = entries();
        // a hard link must follow its target; keep that pair in order, shuffle the rest
        FileEntry link = list.remove(5);
        Collections.shuffle(list, new Random(shuffleSeed));
        FileTree tree = new FileTree();
        list.forEach(tree::add);
        tree.add(link);
        return tree;
    }
}
