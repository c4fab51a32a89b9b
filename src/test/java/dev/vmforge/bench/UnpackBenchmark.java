package dev.vmforge.bench;

import dev.vmforge.BuildLog;
import dev.vmforge.debian.Base;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolveRequest;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.DebUnpacker;
import dev.vmforge.fs.DpkgDatabase;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TarWriter;
import dev.vmforge.fs.UnpackedPackage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Compares unpacking .deb files into a {@link FileTree} plus writing the rootfs tar with
 * {@code dpkg-deb --fsys-tarfile} over the same files (the reference, run in the same invocation).
 *
 * <p>Usage: {@code UnpackBenchmark [DIR_OF_DEBS [ROUNDS]]}. Without DIR (or with {@code -}), the packages
 * are those of the example {@code src/examples/hello}: its request (busybox-static and the cloud kernel,
 * bookworm, minimal base) resolved and downloaded into the plugin's cache as the goals do. Goal: ratio ≤ 1.5.
 */
public final class UnpackBenchmark {
    /** The hello example's request: its POM's distribution and packages, the default kernel and base. */
    private static final ResolveRequest HELLO = new ResolveRequest(
            List.of(new PackageSource(URI.create("http://deb.debian.org/debian"), "bookworm", List.of("main"), "amd64", null)),
            List.of("busybox-static"), "linux-image-cloud-amd64", Base.MINIMAL, false);

    public static void main(String[] args) throws Exception {
        boolean example = args.length == 0 || args[0].equals("-");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Path> debs = example ? helloExampleDebs() : debs(Path.of(args[0]));
        String source = example ? "the hello example's closure" : args[0];
        long bytes = 0;
        for (Path d : debs) {
            bytes += Files.size(d);
        }
        System.out.printf("%d .deb files, %.1f MB, from %s; %d rounds after 2 warm-ups; %d CPUs%n",
                debs.size(), bytes / 1e6, source, rounds, Runtime.getRuntime().availableProcessors());

        long[] java = new long[rounds];
        long[] dpkg = new long[rounds];
        long javaCpu = 0;
        long dpkgCpu = 0;
        long[] tarBytes = new long[2];
        for (int i = -2; i < rounds; i++) {
            long cpu0 = ownCpuMillis();
            long ours = timeJava(debs, tarBytes);
            long cpu1 = ownCpuMillis();
            long children0 = childrenCpuMillis();
            long reference = timeDpkgDeb(debs);
            long children1 = childrenCpuMillis();
            if (i >= 0) {
                java[i] = ours;
                dpkg[i] = reference;
                javaCpu += cpu1 - cpu0;
                dpkgCpu += children1 - children0;
            }
        }
        System.out.printf("(of the java time, dpkg database + tar writing took %d ms per round on average)%n",
                tarBytes[1] / (rounds + 2));
        Arrays.sort(java);
        Arrays.sort(dpkg);
        System.out.printf("java unpack + dpkg db + tar (%.1f MB tar): median %d ms, min %d ms%n",
                tarBytes[0] / 1e6, java[rounds / 2], java[0]);
        System.out.printf("dpkg-deb --fsys-tarfile > /dev/null      : median %d ms, min %d ms%n", dpkg[rounds / 2], dpkg[0]);
        System.out.printf("ratio java/dpkg-deb: median %.2f, min %.2f (goal <= 1.5)%n",
                (double) java[rounds / 2] / dpkg[rounds / 2], (double) java[0] / dpkg[0]);
        if (javaCpu > 0 && dpkgCpu > 0) {
            // CPU time is the fairer measure on a loaded machine; java's includes JIT and GC threads
            System.out.printf("cpu time per round: java %d ms, dpkg-deb %d ms, ratio %.2f%n",
                    javaCpu / rounds, dpkgCpu / rounds, (double) javaCpu / dpkgCpu);
        }
    }

    /** CPU time of this JVM (all threads), from /proc; 0 where unavailable. */
    private static long ownCpuMillis() {
        return procStatTicks(13) * 10;
    }

    /** CPU time of waited-for child processes (dpkg-deb), from /proc; 0 where unavailable. */
    private static long childrenCpuMillis() {
        return procStatTicks(15) * 10;
    }

    /** Sum of two consecutive clock-tick fields of /proc/self/stat: 13 gives utime+stime, 15 cutime+cstime (0-based after pid). */
    private static long procStatTicks(int firstField) {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); field N is at index N - 3
            return Long.parseLong(fields[firstField - 2]) + Long.parseLong(fields[firstField - 1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long timeJava(List<Path> debs, long[] tarBytes) throws IOException {
        long start = System.nanoTime();
        FileTree tree = new FileTree();
        List<UnpackedPackage> packages = DebUnpacker.unpack(debs, tree);
        long unpacked = System.nanoTime();
        DpkgDatabase.add(tree, packages, DpkgDatabase.Status.UNPACKED);
        CountingSink sink = new CountingSink();
        new TarWriter(1).withPrefix("./").write(tree, sink);
        tarBytes[0] = sink.count;
        tarBytes[1] += (System.nanoTime() - unpacked) / 1_000_000;
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static long timeDpkgDeb(List<Path> debs) throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (Path deb : debs) {
            Process p = new ProcessBuilder("dpkg-deb", "--fsys-tarfile", deb.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (p.waitFor() != 0) {
                throw new IOException("dpkg-deb failed on " + deb);
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static List<Path> debs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> debs = files.filter(f -> f.getFileName().toString().endsWith(".deb")).sorted().toList();
            if (debs.isEmpty()) {
                throw new IOException("no .deb files in " + dir);
            }
            return debs;
        }
    }

    /** Resolves and downloads (or finds in the cache) the hello example's packages, in install order. */
    private static List<Path> helloExampleDebs() {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "vm-maven-plugin");
        DebianArchive archive = new DebianArchive(cache, false, BuildLog.silent());
        ResolvedClosure closure = archive.resolve(HELLO);
        Map<ResolvedPackage, Path> files = archive.download(closure.packages());
        return closure.packages().stream().map(files::get).toList();
    }

    /** A sink like /dev/null that counts, so the tar writing cannot be optimized away. */
    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
