package dev.vmforge.vm;

import dev.vmforge.BuildException;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.Paths;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file tree of the builder VM's initramfs: static busybox, the tools {@link BuilderScript}
 * runs (all in {@code /usr/sbin}) with their shared libraries, GRUB's platform files, the kernel
 * modules and the caller's {@code /init}. Composed from Debian packages unpacked into a tree;
 * nothing downloaded is run on the host.
 */
public final class BuilderInitramfs {

    /**
     * The Debian packages to unpack (the caller resolves their dependencies too; these are the ones
     * whose files are used). The libraries the tools load are found by {@link SharedLibraryClosure}
     * and must be in the unpacked tree: on bookworm they come from libc6, libfdisk1, libsmartcols1,
     * libblkid1, libuuid1, libext2fs2, libcom-err2, e2fsprogs (libe2p), liblzma5, libdevmapper1.02.1,
     * libefiboot1, libefivar1, libselinux1, libpcre2-8-0, libudev1, libreadline8, libtinfo6; xorriso (ISO images)
     * brings libisoburn1, libisofs6, libburn4, libjte2 and zlib.
     */
    public static final List<String> PACKAGES = List.of(
            "busybox-static", "fdisk", "e2fsprogs", "dosfstools", "mtools",
            "grub2-common", "grub-common", "grub-pc-bin", "grub-efi-amd64-bin", "xorriso");

    /** Where the tools live in the initramfs; the builder script calls them by absolute path. */
    public static final String TOOL_DIR = "usr/sbin";
    public static final String BUSYBOX = "bin/busybox";
    /** One module file name per line, in load order, for the builder's /init. */
    public static final String MODULE_DIR = "lib/modules";
    public static final String LOAD_ORDER = MODULE_DIR + "/load-order";

    /** Tools copied to {@link #TOOL_DIR}, each looked up in the usual bin directories of the packages. */
    static final List<String> TOOLS = List.of(
            "sfdisk", "mke2fs", "e2fsck", "mkfs.fat", "mtools",
            "grub-install", "grub-probe", "grub-mkimage", "grub-editenv", "xorriso");
    /** Extra names mke2fs, mkfs.fat and mtools answer to. */
    static final Map<String, String> TOOL_ALIASES = Map.of(
            "mkfs.ext4", "mke2fs", "mkfs.ext3", "mke2fs", "mkfs.ext2", "mke2fs", "mkfs.vfat", "mkfs.fat",
            "mmd", "mtools", "mcopy", "mtools");
    private static final List<String> BIN_DIRS = List.of("sbin", "usr/sbin", "bin", "usr/bin");
    /** Where GRUB's platform folders are, in the packages and in the initramfs. */
    public static final String GRUB_LIB = "usr/lib/grub";
    /** GRUB platform directories the builder reads; x86_64-efi's monolithic/ images (15 MB) are unused. */
    static final List<String> GRUB_PLATFORMS = List.of(GRUB_LIB + "/i386-pc", GRUB_LIB + "/x86_64-efi");
    /** Debian keeps grub-bios-setup among the i386-pc platform files; its libraries must come along too. */
    static final String GRUB_BIOS_SETUP = GRUB_LIB + "/i386-pc/grub-bios-setup";
    /**
     * The plugin's own mke2fs.conf: the root file system's features and block sizes stay those GRUB 2.06 and
     * Linux 6.1 read, whichever e2fsprogs the builder runs (1.47.1 and later turn on metadata_csum_seed and
     * orphan_file, which GRUB 2.06 refuses).
     */
    static final String MKE2FS_CONF = "mke2fs.conf";
    /**
     * mtools converts FAT names from code page 850 with iconv, which loads glibc's converter for it: the one module
     * and a gconv-modules file naming only it (the package's lists hundreds).
     */
    static final String GCONV_DIR = "usr/lib/x86_64-linux-gnu/gconv";
    static final String GCONV_MODULES = "alias\tCP850//\tIBM850//\n"
            + "module\tIBM850//\tINTERNAL\tIBM850\t1\n"
            + "module\tINTERNAL\tIBM850//\tIBM850\t1\n";
    private static final String GRUB_EXCLUDED = "usr/lib/grub/x86_64-efi/monolithic";

    private BuilderInitramfs() {
    }

    /**
     * @param packages       the {@link #PACKAGES} (and their dependencies) unpacked into one tree
     * @param kernel         the tree the module files are read from (the unpacked kernel package)
     * @param moduleLoadOrder module paths in {@code kernel}, in the order they must be loaded
     *                       (the dependency closure of virtio_blk, virtio_pci,
     *                       ext4, vfat, nls_cp437, nls_ascii... computed by the caller)
     * @param init           the text of {@code /init}
     */
    public static FileTree compose(FileTree packages, FileTree kernel, List<String> moduleLoadOrder, String init) {
        FileTree out = new FileTree();
        for (String dir : List.of("bin", "sbin", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "mnt",
                "xchg", "run", MODULE_DIR)) {
            out.add(FileEntry.directory(dir, 0755));
        }
        out.add(FileEntry.directory("tmp", 01777));
        out.add(FileEntry.file("init", 0755, init));

        FileEntry busybox = requireFile(packages, BUSYBOX, "busybox-static");
        out.add(busybox);
        out.add(FileEntry.symlink("bin/sh", "busybox"));

        List<String> toolSources = new ArrayList<>();
        for (String tool : TOOLS) {
            TreeLinks.Resolved found = findTool(packages, tool);
            toolSources.add(found.entry().path());
            out.add(found.entry().withPath(TOOL_DIR + "/" + tool));
        }
        TOOL_ALIASES.forEach((alias, tool) -> out.add(FileEntry.symlink(TOOL_DIR + "/" + alias, tool)));
        toolSources.add(requireFile(packages, GRUB_BIOS_SETUP, "grub-pc-bin").path());
        SharedLibraryClosure.of(packages, toolSources).values().forEach(out::add);

        for (String platform : GRUB_PLATFORMS) {
            requireDirectory(packages, platform);
            for (FileEntry e : packages.entries()) {
                if (under(e.path(), platform) && !under(e.path(), GRUB_EXCLUDED)) {
                    out.add(e);
                }
            }
        }
        out.add(FileEntry.file("etc/mke2fs.conf", 0644, resource(MKE2FS_CONF)));
        out.add(requireFile(packages, GCONV_DIR + "/IBM850.so", "libc6"));
        out.add(FileEntry.file(GCONV_DIR + "/gconv-modules", 0644, GCONV_MODULES));
        // grub-install and mount read the mount table from /etc/mtab
        out.add(FileEntry.symlink("etc/mtab", "/proc/self/mounts"));
        // grub-install copies translations from here; empty, it just stops warning that it is missing
        out.add(FileEntry.directory("usr/share/locale", 0755));

        addModules(out, kernel, moduleLoadOrder);
        return out;
    }

    private static void addModules(FileTree out, FileTree kernel, List<String> moduleLoadOrder) {
        Set<String> names = new LinkedHashSet<>();
        for (String path : moduleLoadOrder) {
            FileEntry module = kernel.get(path).filter(e -> e.type() == FileEntry.Type.FILE)
                    .orElseThrow(() -> new BuildException("kernel module " + path
                            + " is not in the kernel package; is the kernel package the one the modules were resolved from?"));
            String name = Paths.name(module.path());
            if (!names.add(name)) {
                throw new BuildException("two kernel modules are both named " + name + "; cannot place them in one folder");
            }
            out.add(module.withPath(MODULE_DIR + "/" + name));
        }
        out.add(FileEntry.file(LOAD_ORDER, 0644, String.join("\n", names) + (names.isEmpty() ? "" : "\n")));
    }

    private static TreeLinks.Resolved findTool(FileTree packages, String tool) {
        for (String dir : BIN_DIRS) {
            Optional<TreeLinks.Resolved> r = TreeLinks.resolve(packages, dir + "/" + tool);
            if (r.isPresent() && r.get().entry().type() == FileEntry.Type.FILE) {
                return r.get();
            }
        }
        throw new BuildException("the builder tool " + tool + " is in none of " + BIN_DIRS
                + " of the unpacked packages; are all of " + PACKAGES + " unpacked?");
    }

    private static FileEntry requireFile(FileTree packages, String path, String fromPackage) {
        return TreeLinks.resolve(packages, path).map(TreeLinks.Resolved::entry)
                .filter(e -> e.type() == FileEntry.Type.FILE)
                .map(e -> e.withPath(path))
                .orElseThrow(() -> new BuildException(path + " is missing from the unpacked packages; is " + fromPackage
                        + " among them?"));
    }

    private static void requireDirectory(FileTree packages, String path) {
        if (packages.get(path).filter(FileEntry::isDirectory).isEmpty()) {
            throw new BuildException(path + " is missing from the unpacked packages; are grub-pc-bin and"
                    + " grub-efi-amd64-bin among them?");
        }
    }

    private static String resource(String name) {
        try (java.io.InputStream in = BuilderInitramfs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the plugin");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean under(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }
}
