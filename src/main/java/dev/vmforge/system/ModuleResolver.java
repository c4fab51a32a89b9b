package dev.vmforge.system;

import dev.vmforge.BuildException;
import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Which kernel modules to load, and in what order, to get a set of drivers: the closure over each module's
 * {@code depends=} and {@code softdep=} (read from the modules, as depmod does, since Debian ships no
 * {@code modules.dep}), skipping what {@code modules.builtin} says is compiled into the kernel.
 * There is no modprobe in our initrds: the order computed here is the order of {@code insmod}.
 */
public final class ModuleResolver {
    private static final List<String> SUFFIXES = List.of(".ko", ".ko.xz", ".ko.zst", ".ko.gz");

    private final FileTree tree;
    private final KernelFiles kernel;
    /** Module name (with '_') to tree path of its file. */
    private final Map<String, String> files = new TreeMap<>();
    private final Set<String> builtin = new HashSet<>();
    /** Alias to the built-in modules providing it, from modules.builtin.modinfo. */
    private final Map<String, Set<String>> builtinAliases = new HashMap<>();
    private final Map<String, ModInfo> infos = new HashMap<>();
    private Map<String, Set<String>> moduleAliases; // built on first need: it reads every module

    /**
     * The modules to load for some drivers.
     *
     * @param modules     paths relative to the modules directory (e.g. {@code kernel/fs/9p/9p.ko.xz}), in load order
     * @param builtIn     requested or needed names that are compiled into the kernel
     * @param unavailable requested optional names the kernel has neither as a module nor built in
     */
    public record ModuleSet(KernelFiles kernel, List<String> modules, List<String> builtIn, List<String> unavailable) {
        public ModuleSet {
            modules = List.copyOf(modules);
            builtIn = List.copyOf(builtIn);
            unavailable = List.copyOf(unavailable);
        }
    }

    public ModuleResolver(FileTree tree, KernelFiles kernel) {
        this.tree = tree;
        this.kernel = kernel;
        String prefix = kernel.modulesDir() + "/";
        for (FileEntry e : tree.entries()) {
            if (e.type() == FileEntry.Type.FILE && e.path().startsWith(prefix)) {
                String name = moduleName(e.path());
                if (name != null) {
                    files.putIfAbsent(name, e.path());
                }
            }
        }
        tree.get(prefix + "modules.builtin").ifPresent(f -> {
            for (String line : text(f.content()).split("\n")) {
                String name = moduleName(line.trim());
                if (name != null) {
                    builtin.add(name);
                }
            }
        });
        tree.get(prefix + "modules.builtin.modinfo").ifPresent(f -> {
            byte[] data = bytes(f.content(), f.path());
            ModInfo all = ModInfo.parseStrings(data, 0, data.length);
            all.values().forEach((key, values) -> {
                int dot = key.indexOf('.');
                if (dot > 0 && key.substring(dot + 1).equals("alias")) {
                    String module = normalize(key.substring(0, dot));
                    builtin.add(module);
                    values.forEach(a -> builtinAliases.computeIfAbsent(normalize(a), k -> new TreeSet<>()).add(module));
                }
            });
        });
    }

    /** For an unpacked system tree: finds the kernel first. */
    public static ModuleResolver of(FileTree tree) {
        return new ModuleResolver(tree, KernelFiles.find(tree));
    }

    /**
     * Ordered module paths (relative to the modules directory, dependencies first, built-ins skipped)
     * for the named modules or aliases.
     *
     * @throws BuildException when a name is neither a module nor built into the kernel
     */
    public static List<String> closure(FileTree kernelTree, String kernelVersion, List<String> moduleNames) {
        KernelFiles found = KernelFiles.find(kernelTree);
        if (!found.version().equals(kernelVersion)) {
            String dir = TreeLookup.resolve(kernelTree, "lib/modules/" + kernelVersion, true);
            found = new KernelFiles(kernelVersion, "boot/vmlinuz-" + kernelVersion, dir);
        }
        return new ModuleResolver(kernelTree, found).resolve(moduleNames, List.of()).modules();
    }

    /**
     * Resolves required and optional names. A missing optional name is reported in
     * {@link ModuleSet#unavailable()}; a missing required one fails the build.
     */
    public ModuleSet resolve(List<String> required, List<String> optional) {
        Walk walk = new Walk();
        for (String name : required) {
            if (!walk.visitName(name)) {
                throw new BuildException("kernel " + kernel.version() + " has no module '" + name
                        + "' and does not have it built in; choose a kernel package that provides it in "
                        + "<operatingSystem><kernel> (Debian's linux-image-cloud-amd64 lacks 9p; "
                        + "linux-image-amd64 has it)");
            }
        }
        List<String> unavailable = new ArrayList<>();
        for (String name : optional) {
            if (!walk.visitName(name)) {
                unavailable.add(name);
            }
        }
        String prefix = kernel.modulesDir() + "/";
        List<String> relative = walk.order.stream().map(p -> p.substring(prefix.length())).toList();
        return new ModuleSet(kernel, relative, new ArrayList<>(walk.builtIns), unavailable);
    }

    /** The uncompressed ELF of a module given by its path relative to the modules directory. */
    public byte[] moduleBytes(String relativePath) {
        String path = kernel.modulesDir() + "/" + relativePath;
        FileEntry entry = tree.get(path).orElseThrow(() -> new BuildException("missing kernel module " + path));
        return decompressed(entry);
    }

    /**
     * Copies the modules of a set, decompressed (busybox insmod cannot read compressed modules), into an initrd
     * tree under {@code lib/modules/VERSION/}, and writes {@code lib/modules/load-order}: one path per line,
     * relative to {@code lib/modules/VERSION}, in insmod order.
     */
    public void copyInto(FileTree initrd, ModuleSet set, long mtime) {
        StringBuilder order = new StringBuilder();
        for (String rel : set.modules()) {
            String plain = uncompressedName(rel);
            initrd.add(FileEntry.file("lib/modules/" + set.kernel().version() + "/" + plain, 0644,
                    Content.of(moduleBytes(rel))).withMtime(mtime));
            order.append(plain).append('\n');
        }
        initrd.add(FileEntry.file("lib/modules/load-order", 0644, order.toString()).withMtime(mtime));
    }

    static String uncompressedName(String path) {
        for (String s : SUFFIXES) {
            if (path.endsWith(s)) {
                return path.substring(0, path.length() - s.length()) + ".ko";
            }
        }
        return path;
    }

    /** Depth-first walk: every module after its dependencies, each once. */
    private final class Walk {
        final LinkedHashSet<String> order = new LinkedHashSet<>();
        final Set<String> visiting = new HashSet<>();
        final Set<String> builtIns = new TreeSet<>();

        /** Visits a module or alias; false when the kernel has it neither as a module nor built in. */
        boolean visitName(String name) {
            String n = normalize(name);
            if (files.containsKey(n)) {
                visitModule(n);
                return true;
            }
            if (builtin.contains(n) || builtinAliases.containsKey(n)) {
                builtIns.add(n);
                return true;
            }
            Set<String> providers = aliases().getOrDefault(n, Set.of());
            providers.forEach(this::visitModule);
            return !providers.isEmpty();
        }

        void visitModule(String name) {
            String path = files.get(name);
            if (order.contains(path) || !visiting.add(name)) {
                return; // done, or a dependency cycle (the kernel refuses those; nothing to order)
            }
            ModInfo info = info(name);
            Softdeps soft = Softdeps.parse(info.all("softdep"));
            soft.pre().forEach(this::visitName); // soft: a missing one is not an error, as with modprobe
            for (String dep : info.depends()) {
                if (!visitName(dep)) {
                    throw new BuildException("kernel module " + name + " needs '" + dep
                            + "', which kernel " + kernel.version() + " lacks; the kernel package is incomplete");
                }
            }
            order.add(path);
            visiting.remove(name);
            soft.post().forEach(this::visitName);
        }
    }

    /** {@code softdep=pre: a b post: c}. */
    record Softdeps(List<String> pre, List<String> post) {
        static Softdeps parse(List<String> values) {
            List<String> pre = new ArrayList<>();
            List<String> post = new ArrayList<>();
            for (String value : values) {
                List<String> current = null;
                for (String token : value.trim().split("\\s+")) {
                    if (token.equals("pre:")) {
                        current = pre;
                    } else if (token.equals("post:")) {
                        current = post;
                    } else if (current != null && !token.isEmpty()) {
                        current.add(token);
                    }
                }
            }
            return new Softdeps(pre, post);
        }
    }

    private ModInfo info(String name) {
        return infos.computeIfAbsent(name, n -> {
            FileEntry entry = tree.get(files.get(n)).orElseThrow();
            return ModInfo.parse(decompressed(entry), entry.path());
        });
    }

    private Map<String, Set<String>> aliases() {
        if (moduleAliases == null) {
            moduleAliases = new HashMap<>();
            for (String name : files.keySet()) {
                for (String alias : info(name).all("alias")) {
                    moduleAliases.computeIfAbsent(normalize(alias), k -> new TreeSet<>()).add(name);
                }
            }
        }
        return moduleAliases;
    }

    /** Module names treat '-' and '_' alike; the kernel reports them with '_'. */
    static String normalize(String name) {
        return name.replace('-', '_');
    }

    private static String moduleName(String path) {
        for (String s : SUFFIXES) {
            if (path.endsWith(s)) {
                String file = path.substring(path.lastIndexOf('/') + 1, path.length() - s.length());
                return file.isEmpty() ? null : normalize(file);
            }
        }
        return null;
    }

    private static byte[] decompressed(FileEntry entry) {
        String p = entry.path();
        try (InputStream raw = entry.content().open();
             InputStream in = p.endsWith(".xz") ? new org.tukaani.xz.XZInputStream(raw)
                     : p.endsWith(".zst") ? new com.github.luben.zstd.ZstdInputStream(raw)
                     : p.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BuildException("cannot read kernel module " + p + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(Content content, String path) {
        try (InputStream in = content.open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    private static String text(Content content) {
        return new String(bytes(content, "modules.builtin"), StandardCharsets.UTF_8);
    }

    Optional<String> fileOf(String name) {
        return Optional.ofNullable(files.get(normalize(name)));
    }
}
