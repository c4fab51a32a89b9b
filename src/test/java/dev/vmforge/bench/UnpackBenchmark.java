package dev.vmforge.bench;

import dev.vmforge.fs.DebUnpacker;
import dev.vmforge.fs.DpkgDatabase;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.TarWriter;
import dev.vmforge.fs.UnpackedPackage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compares unpacking .deb files into a {@link FileTree} plus writing the rootfs tar with
 * {@code dpkg-deb --fsys-tarfile} over the same files (the reference, run in the same invocation).
 *
 * <p>Usage: {@code UnpackBenchmark [DIR_OF_DEBS [ROUNDS]]}. Without DIR, downloads a few packages with
 * {@code apt-get download} into {@code /tmp/vm-bench-debs} (needs apt sources and root). Goal: ratio ≤ 1.5.
 */
public final class UnpackBenchmark {
    private static final List<String> DEFAULT_PACKAGES = List.of("busybox-static", "libc6", "coreutils",
            "libstdc++6", "perl-base", "systemd", "openjdk-17-jre-headless");

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/vm-bench-debs");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Path> debs = debs(dir);
        if (debs.isEmpty()) {
            download(dir);
            debs = debs(dir);
        }
        long bytes = 0;
        for (Path d : debs) {
            bytes += Files.size(d);
        }
        System.out.printf("%d .deb files, %.1f MB, in %s; %d rounds after 2 warm-ups; %d CPUs%n",
                debs.size(), bytes / 1e6, dir, rounds, Runtime.getRuntime().availableProcessors());

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
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".deb")).sorted().toList();
        }
    }

    private static void download(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        System.out.println("downloading " + DEFAULT_PACKAGES + " into " + dir);
        List<String> command = new java.util.ArrayList<>(List.of("apt-get", "download"));
        command.addAll(DEFAULT_PACKAGES);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("apt-get download failed; run apt-get update, or pass a directory of .deb files");
        }
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
