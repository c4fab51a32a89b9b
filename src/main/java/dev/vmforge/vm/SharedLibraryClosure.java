package dev.vmforge.vm;

import dev.vmforge.BuildException;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared libraries (and the dynamic loader) that a set of executables in an unpacked package
 * tree needs, found by reading ELF headers, never by running the executables.
 */
final class SharedLibraryClosure {
    /** Where Debian's loader looks without an ld.so.cache, in its order. */
    static final List<String> LIBRARY_DIRS = List.of(
            "lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu", "lib64", "usr/lib64", "lib", "usr/lib");

    private SharedLibraryClosure() {
    }

    /**
     * Every entry to copy so that the executables can run: for each library, the symlinks from its
     * soname to the real file and the file itself, keyed by path; the loader likewise.
     *
     * @param executables paths in {@code tree}; static ones contribute nothing
     */
    static Map<String, FileEntry> of(FileTree tree, List<String> executables) {
        Map<String, FileEntry> copy = new LinkedHashMap<>();
        Deque<String[]> work = new ArrayDeque<>(); // {path of a file to scan, who needed it}
        for (String exe : executables) {
            work.add(new String[] {exe, exe});
        }
        Map<String, Boolean> scanned = new LinkedHashMap<>();
        while (!work.isEmpty()) {
            String[] item = work.poll();
            String path = item[0];
            if (scanned.put(path, Boolean.TRUE) != null) {
                continue;
            }
            FileEntry file = tree.get(path).orElseThrow(() -> new BuildException(path + " is missing from the unpacked packages"));
            byte[] bytes = readAll(file);
            if (!ElfDynamicInfo.isElf(bytes)) {
                continue; // a script: it brings no libraries itself
            }
            ElfDynamicInfo info = ElfDynamicInfo.read(path, bytes);
            if (info.interpreter().isPresent()) {
                String loader = info.interpreter().get();
                TreeLinks.Resolved resolved = TreeLinks.resolve(tree, loader).orElseThrow(() -> missing(loader, item[1]));
                addChain(copy, resolved);
                work.add(new String[] {resolved.entry().path(), loader});
            }
            for (String name : info.needed()) {
                TreeLinks.Resolved resolved = find(tree, name).orElseThrow(() -> missing(name, path));
                addChain(copy, resolved);
                work.add(new String[] {resolved.entry().path(), path});
            }
        }
        return copy;
    }

    private static Optional<TreeLinks.Resolved> find(FileTree tree, String libraryName) {
        for (String dir : LIBRARY_DIRS) {
            Optional<TreeLinks.Resolved> r = TreeLinks.resolve(tree, dir + "/" + libraryName);
            if (r.isPresent() && r.get().entry().type() == FileEntry.Type.FILE) {
                return r;
            }
        }
        return Optional.empty();
    }

    /** The links are copied as they are (so sonames keep working) and the file itself. */
    private static void addChain(Map<String, FileEntry> copy, TreeLinks.Resolved resolved) {
        for (FileEntry link : resolved.links()) {
            if (link.type() == FileEntry.Type.SYMLINK) {
                // only a library's own links; a directory link such as usr-merge's lib -> usr/lib is left
                // out, since it would replace a directory of the initramfs
                if (LIBRARY_DIRS.contains(dev.vmforge.fs.Paths.parent(link.path()))) {
                    copy.putIfAbsent(link.path(), link);
                }
            } else {
                // a hard link: copy the file's bytes under the link's name
                copy.putIfAbsent(link.path(), resolved.entry().withPath(link.path()));
            }
        }
        copy.putIfAbsent(resolved.entry().path(), resolved.entry());
    }

    private static BuildException missing(String library, String neededBy) {
        return new BuildException(neededBy + " needs " + library + ", which none of the builder's packages provides;"
                + " add the Debian package that ships it to BuilderInitramfs.PACKAGES");
    }

    private static byte[] readAll(FileEntry file) {
        try (InputStream in = file.content().open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BuildException("cannot read " + file.path() + " from the unpacked packages: " + e.getMessage(), e);
        }
    }
}
