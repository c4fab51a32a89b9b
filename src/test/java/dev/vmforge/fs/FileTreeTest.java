package dev.vmforge.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FileTreeTest {

    @Test
    void filesUnderASymlinkedParentLandInItsTarget() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.directory("usr/lib", 0755));
        tree.add(FileEntry.symlink("lib", "usr/lib"));
        tree.add(FileEntry.symlink("lib64", "/usr/lib64"));

        tree.add(FileEntry.file("lib/x86_64-linux-gnu/libc.so.6", 0755, "elf"));
        tree.add(FileEntry.file("lib64/ld-linux-x86-64.so.2", 0755, "ld"));

        assertTrue(tree.contains("usr/lib/x86_64-linux-gnu/libc.so.6"));
        assertTrue(tree.contains("usr/lib64/ld-linux-x86-64.so.2"));
        assertFalse(tree.contains("lib/x86_64-linux-gnu"));
        assertEquals(FileEntry.Type.SYMLINK, tree.get("lib").orElseThrow().type());
    }

    @Test
    void aDirectoryShippedWhereASymlinkToADirectoryIsKeepsTheSymlink() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.directory("usr/bin", 0755));
        tree.add(FileEntry.symlink("bin", "usr/bin"));
        tree.add(FileEntry.directory("bin", 0755));
        assertEquals(FileEntry.Type.SYMLINK, tree.get("bin").orElseThrow().type());

        tree.add(FileEntry.symlink("dangling", "nowhere"));
        tree.add(FileEntry.directory("dangling", 0700));
        assertEquals(FileEntry.Type.DIRECTORY, tree.get("dangling").orElseThrow().type());
    }

    @Test
    void symlinkedParentLeadingAboveTheRootIsRefused() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.symlink("usr/evil", "../../.."));
        UnsafePathException e = assertThrows(UnsafePathException.class,
                () -> tree.add(FileEntry.file("usr/evil/etc/passwd", 0644, "x")));
        assertTrue(e.getMessage().contains("outside the root"), e.getMessage());
    }

    @Test
    void symlinkLoopsAreRefused() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.symlink("a", "b"));
        tree.add(FileEntry.symlink("b", "a"));
        UnsafePathException e = assertThrows(UnsafePathException.class,
                () -> tree.add(FileEntry.file("a/x", 0644, "x")));
        assertTrue(e.getMessage().contains("too many levels"), e.getMessage());
    }

    @Test
    void resolveFollowsSymlinksToTheFinalEntry() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("usr/bin/busybox", 0755, "bb"));
        tree.add(FileEntry.symlink("bin", "usr/bin"));
        tree.add(FileEntry.symlink("usr/bin/sh", "busybox"));
        tree.add(FileEntry.symlink("etc/alternatives/sh", "/bin/sh"));

        assertEquals("usr/bin/busybox", tree.resolve("etc/alternatives/sh").orElseThrow().path());
        assertTrue(tree.resolve("bin/missing").isEmpty());
    }

    @Test
    void hardLinksPointAtTheRegularFileThroughOtherLinks() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.directory("usr/bin", 0755));
        tree.add(FileEntry.symlink("bin", "usr/bin"));
        tree.add(FileEntry.file("usr/bin/gzip", 0755, "gz"));
        tree.add(hardlink("bin/gunzip", "bin/gzip"));
        tree.add(hardlink("usr/bin/zcat", "usr/bin/gunzip"));

        assertEquals("usr/bin/gzip", tree.get("usr/bin/gunzip").orElseThrow().linkTarget());
        assertEquals("usr/bin/gzip", tree.get("usr/bin/zcat").orElseThrow().linkTarget());
        assertThrows(UnsafePathException.class, () -> tree.add(hardlink("usr/bin/x", "usr/bin/missing")));
        assertThrows(UnsafePathException.class, () -> tree.add(hardlink("usr/bin/y", "usr")));
    }

    @Test
    void aFileCannotGoBelowARegularFile() {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("etc/motd", 0644, "hi"));
        UnsafePathException e = assertThrows(UnsafePathException.class,
                () -> tree.add(FileEntry.file("etc/motd/x", 0644, "x")));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    static FileEntry hardlink(String path, String target) {
        return new FileEntry(path, FileEntry.Type.HARDLINK, 0644, 0, 0, 0, target, 0, 0, null);
    }
}
