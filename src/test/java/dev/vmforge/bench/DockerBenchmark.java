package dev.vmforge.bench;

import dev.vmforge.docker.ContainerConfig;
import dev.vmforge.docker.DockerImageWriter;
import dev.vmforge.docker.LayerBlob;
import dev.vmforge.fs.HostFiles;
import dev.vmforge.docker.HostDirectoryTree;
import dev.vmforge.docker.ImageReference;
import dev.vmforge.docker.Layer;
import dev.vmforge.docker.WrittenImage;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.DockerSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Times the docker-archive writer against {@code tar --sort=name ... | gzip -9n} of the same directory.
 * Usage: {@code DockerBenchmark [DIR] [docker|oci]} (default: the JDK 17 directory, docker). One untimed
 * warm-up run first fills the page cache and warms the JIT, so both timed runs read from memory.
 */
public final class DockerBenchmark {
    /**
     * The system layer written once (as the store keeps it) plus a small application layer: after the application
     * changes, only its layer is compressed again (the system layer's tree is never read).
     */
    private static void applicationOnlyChange(FileTree system, DockerSpec.Format format, Path out, double full)
            throws Exception {
        Path layers = Files.createTempDirectory("docker-bench-layers");
        try {
            DockerImageWriter writer = new DockerImageWriter();
            DockerSpec spec = new DockerSpec("bench/app:1", format, List.of("/bin/true"), List.of(), Map.of(), Map.of());
            ContainerConfig config = ContainerConfig.of(spec, ContainerConfig.DEFAULT_CREATED, List.of());
            long mtime = config.created().getEpochSecond();
            LayerBlob systemBlob = writer.writeLayer(Layer.of("system", system), mtime, layers.resolve("system"));
            writer.write(List.of(Layer.written("system", systemBlob), Layer.of("application", app("v1"))), config,
                    spec, out);
            long t = System.nanoTime();
            writer.write(List.of(Layer.written("system", systemBlob), Layer.of("application", app("v2"))), config,
                    spec, out);
            double changed = (System.nanoTime() - t) / 1e9;
            System.out.printf("rebuild after an application-only change: %.2f s = %.2f of a full write%n",
                    changed, changed / full);
        } finally {
            HostFiles.deleteRecursively(layers);
        }
    }

    private static FileTree app(String version) {
        FileTree tree = new FileTree();
        tree.add(dev.vmforge.fs.FileEntry.file("opt/app/app.jar", 0644, "jar " + version));
        return tree;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/lib/jvm/java-17-openjdk-amd64").toRealPath();
        DockerSpec.Format format = args.length > 1 ? DockerSpec.Format.valueOf(args[1].toUpperCase()) : DockerSpec.Format.DOCKER;
        FileTree tree = HostDirectoryTree.load(dir);
        System.out.printf("tree: %s, %d entries, %.1f MB of content, format %s%n", dir, tree.size(),
                tree.contentSize() / 1e6, format);
        Path out = Files.createTempFile("docker-bench", ".tar.gz");
        try {
            writeImage(tree, format, out); // warm-up
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("bash", "-c", "tar --sort=name --owner=0 --group=0 --numeric-owner"
                    + " --mtime=@1 -cf - -C \"$0\" . | gzip -9n | wc -c", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String referenceSize = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("tar | gzip failed");
            }
            double reference = (System.nanoTime() - t0) / 1e9;

            long t1 = System.nanoTime();
            WrittenImage image = writeImage(tree, format, out);
            double ours = (System.nanoTime() - t1) / 1e9;
            System.out.printf("tar | gzip -9n: %.2f s, %s bytes%n", reference, referenceSize);
            System.out.printf("DockerImageWriter: %.2f s, %d bytes (%s)%n", ours, Files.size(out), image.configDigest());
            System.out.printf("ratio: %.2f (goal <= 1.2)%n", ours / reference);
            applicationOnlyChange(tree, format, out, ours);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static WrittenImage writeImage(FileTree tree, DockerSpec.Format format, Path out) throws Exception {
        ContainerConfig config = new ContainerConfig(ContainerConfig.DEFAULT_CREATED, List.of("/bin/sh"), List.of(),
                Map.of(), java.util.Set.of(), Map.of(), null, null);
        return new DockerImageWriter().write(List.of(Layer.of("system", tree)), config,
                ImageReference.parse("bench:1"), format, out);
    }
}
