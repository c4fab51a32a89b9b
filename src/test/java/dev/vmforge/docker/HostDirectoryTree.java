package dev.vmforge.docker;

import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test utility: a host directory as a root-owned {@link FileTree} (directories, files, symlinks). */
public final class HostDirectoryTree {
    private HostDirectoryTree() {
    }

    public static FileTree load(Path root) throws IOException {
        FileTree tree = new FileTree();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(p -> !p.equals(root)).toList()) {
                String rel = root.relativize(p).toString();
                int mode = mode(p);
                if (Files.isSymbolicLink(p)) {
                    tree.add(FileEntry.symlink(rel, Files.readSymbolicLink(p).toString()));
                } else if (Files.isDirectory(p)) {
                    tree.add(FileEntry.directory(rel, mode));
                } else if (Files.isRegularFile(p)) {
                    tree.add(FileEntry.file(rel, mode, Content.ofFile(p)));
                }
            }
        }
        return tree;
    }

    private static int mode(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return 0777;
        }
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}
