package dev.vmforge.pipeline;

import dev.vmforge.app.ApplicationTree;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.StableProperties;
import dev.vmforge.fs.TarWriter;
import dev.vmforge.image.ContentStats;
import dev.vmforge.image.ImageIds;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.system.RootMedium;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.Inputs;
import dev.vmforge.store.Realizer;
import dev.vmforge.system.KernelFiles;
import dev.vmforge.system.SystemConfiguration;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The bootable root file system as a tar: the configured system, the kernel package unpacked onto it, the files
 * generated from the POM (accounts, services, init) and the initrd; beside it the kernel and the initrd, which
 * the run-vm script boots directly. Its key also seeds every identifier of the image made of it (the root file
 * system's UUID, written into its own {@code /etc/fstab}). The application is not in it: it has its own partition.
 *
 * @param kernel      the kernel package(s)
 * @param requireJava the system runs an {@code <application>}, so it must have java
 * @param medium      what the root is on (a volatile or ISO root's initrd carries overlay and more drivers)
 */
record RootFileSystem(ConfiguredSystem configured, ResolvedClosure kernel, SystemConfiguration system,
                      ImageSpec.FileSystemType fileSystemType, RootMedium medium, boolean requireJava, long time,
                      Tools tools)
        implements Derivation<RootFileSystem.Output> {

    /**
     * @param stats         what the content costs on ext4, for the image's size
     * @param kernelVersion e.g. {@code 6.1.0-28-cloud-amd64}: {@code /boot/vmlinuz-VERSION} is in the tar
     */
    record Output(Path tar, Path kernel, Path initrd, ContentStats stats, String kernelVersion) {
    }

    @Override
    public String name() {
        return "rootfs";
    }

    @Override
    public String title() {
        return "Root file system";
    }

    /** Its build unpacks every package and writes the tree (seconds): worth fetching from substitutes. */
    @Override
    public boolean substitutable() {
        return true;
    }

    @Override
    public Location location() {
        return Location.PROJECT;
    }

    @Override
    public void declare(Inputs inputs) {
        inputs.derivation("configured", configured);
        BuilderEnvironment.declarePackages(inputs, "kernel", kernel);
        system.declare(inputs);
        inputs.choice("fileSystemType", fileSystemType).choice("medium", medium).flag("requireJava", requireJava).number("time", time);
    }

    /** The identifiers of an image of this file system: the root UUID its fstab names, GUIDs, serials. */
    ImageIds ids(Realizer realizer) {
        return ImageIds.derive(realizer.key(this).hex());
    }

    @Override
    public String build(Path out, Realizer realizer) throws IOException {
        FileTree tree = ConfiguredSystem.tree(realizer.input(configured));
        if (requireJava) {
            ApplicationTree.requireJava(tree);
        }
        String fsType = fileSystemType.name().toLowerCase(Locale.ROOT);
        SystemTree.bootable(tree, kernel, system, ids(realizer).rootUuid().toString(), fsType, medium, time, tools);
        KernelFiles kernelFiles = KernelFiles.find(tree);
        try (OutputStream tar = new BufferedOutputStream(Files.newOutputStream(out.resolve("rootfs.tar")), 1 << 16)) {
            new TarWriter(time).write(tree, tar);
        }
        // the run-vm script boots these directly, without the bootloader
        copy(tree, kernelFiles.vmlinuzPath(), out.resolve("vmlinuz"));
        copy(tree, "boot/initrd.img-" + kernelFiles.version(), out.resolve("initrd.img"));
        ContentStats stats = ContentStats.of(tree);
        Properties p = new Properties();
        p.setProperty("bytesIn1kBlocks", Long.toString(stats.bytesIn1kBlocks()));
        p.setProperty("bytesIn4kBlocks", Long.toString(stats.bytesIn4kBlocks()));
        p.setProperty("inodes", Long.toString(stats.inodes()));
        p.setProperty("kernelVersion", kernelFiles.version());
        StableProperties.write(p, out.resolve("rootfs.properties"));
        return tree.size() + " entries, " + (Files.size(out.resolve("rootfs.tar")) >> 20) + " MiB";
    }

    @Override
    public Output read(Path out) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(out.resolve("rootfs.properties"))) {
            p.load(r);
        }
        ContentStats stats = new ContentStats(Long.parseLong(p.getProperty("bytesIn1kBlocks")),
                Long.parseLong(p.getProperty("bytesIn4kBlocks")), Long.parseLong(p.getProperty("inodes")));
        return new Output(out.resolve("rootfs.tar"), out.resolve("vmlinuz"), out.resolve("initrd.img"), stats,
                p.getProperty("kernelVersion"));
    }

    private static void copy(FileTree tree, String path, Path target) throws IOException {
        try (InputStream in = tree.get(path).orElseThrow().content().open()) {
            Files.copy(in, target);
        }
    }
}
