package dev.vmforge.system;

import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;

/** Test helper: a host directory as a FileTree, and a FileTree written out to a host directory. */
final class HostTree {
    private HostTree() {
    }

    static FileTree load(Path root) throws IOException {
        FileTree tree = new FileTree();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                String rel = root.relativize(p).toString();
                if (rel.isEmpty()) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    tree.add(FileEntry.symlink(rel, Files.readSymbolicLink(p).toString()));
                } else if (Files.isDirectory(p)) {
                    tree.add(FileEntry.directory(rel, 0755));
                } else {
                    tree.add(FileEntry.file(rel, Files.isExecutable(p) ? 0755 : 0644, Content.ofFile(p)));
                }
            }
        }
        return tree;
    }

    /** Writes files, directories and symlinks (ownership ignored) under dir. */
    static void write(FileTree tree, Path dir) throws IOException {
        for (FileEntry e : tree.entries()) {
            Path p = dir.resolve(e.path());
            switch (e.type()) {
                case DIRECTORY -> Files.createDirectories(p);
                case SYMLINK -> Files.createSymbolicLink(p, Path.of(e.linkTarget()));
                case FILE -> {
                    try (InputStream in = e.content().open()) {
                        Files.copy(in, p);
                    }
                    if ((e.mode() & 0100) != 0) {
                        Files.setPosixFilePermissions(p, Set.of(PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
                    }
                }
                default -> { }
            }
        }
    }

    static String text(FileTree tree, String path) {
        try (InputStream in = tree.get(path).orElseThrow(() -> new AssertionError("missing " + path))
                .content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
