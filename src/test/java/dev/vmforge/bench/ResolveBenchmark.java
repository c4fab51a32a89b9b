package dev.vmforge.bench;

import dev.vmforge.BuildLog;
import dev.vmforge.debian.Base;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.LockFile;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolveRequest;
import dev.vmforge.debian.ResolvedClosure;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Time to resolve openjdk-17-jre-headless + busybox-static against bookworm (+updates, +security) with a
 * warm index cache. The first run fills the cache (reference: cold); then online runs with the indices cached
 * but not the closure (InRelease fetched and verified, indices loaded, resolver run), then runs that find the
 * closure in the resolution cache, online and offline (each checked against the indices), and lock-file checks
 * (every row looked up in the verified indices). Goal: warm < 1 s.
 * Run: mvn -o test-compile exec... or java -cp target/test-classes:target/classes:DEPS dev.vmforge.bench.ResolveBenchmark
 */
public final class ResolveBenchmark {
    public static void main(String[] args) {
        Path cache = Path.of(args.length > 0 ? args[0] : System.getProperty("user.home") + "/.cache/vm-maven-plugin");
        List<PackageSource> sources = List.of(
                new PackageSource(URI.create("http://deb.debian.org/debian"), "bookworm", List.of("main"), "amd64", null),
                new PackageSource(URI.create("http://deb.debian.org/debian"), "bookworm-updates", List.of("main"), "amd64", null),
                new PackageSource(URI.create("http://deb.debian.org/debian-security"), "bookworm-security", List.of("main"), "amd64", null));
        ResolveRequest request = new ResolveRequest(sources, List.of("openjdk-17-jre-headless", "busybox-static"), null, Base.MINIMAL, false);
        long reference = run("first run (fills the cache if cold)", new DebianArchive(cache, false, BuildLog.silent()), request);
        for (int i = 1; i <= 3; i++) {
            forgetResolutions(cache);
            long t = run("warm indices, resolving, online #" + i, new DebianArchive(cache, false, BuildLog.silent()), request);
            System.out.printf("    ratio to first run: %.2f%n", (double) t / reference);
        }
        for (int i = 1; i <= 3; i++) {
            long t = run("closure cached, online (InRelease fetched) #" + i, new DebianArchive(cache, false, BuildLog.silent()), request);
            System.out.printf("    ratio to first run: %.2f%n", (double) t / reference);
        }
        for (int i = 1; i <= 3; i++) {
            long t = run("closure cached, offline #" + i, new DebianArchive(cache, true, BuildLog.silent()), request);
            System.out.printf("    ratio to first run: %.2f%n", (double) t / reference);
        }
        LockFile lock = LockFile.of(request, new DebianArchive(cache, true, BuildLog.silent()).resolve(request));
        for (int i = 1; i <= 3; i++) {
            long start = System.nanoTime();
            ResolvedClosure locked = new DebianArchive(cache, true, BuildLog.silent()).locked(lock, sources, "benchmark lock");
            long t = Math.max((System.nanoTime() - start) / 1_000_000, 1);
            System.out.printf("%-46s %5d ms  (%d packages)%n", "lock checked against the indices, offline #" + i, t,
                    locked.packages().size());
            System.out.printf("    ratio to first run: %.2f%n", (double) t / reference);
        }
    }

    /** Empties the resolution cache, so that the next run loads the indices and resolves. */
    private static void forgetResolutions(Path cache) {
        try (var files = java.nio.file.Files.list(cache.resolve("resolutions"))) {
            for (Path f : files.toList()) {
                java.nio.file.Files.delete(f);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long run(String label, DebianArchive archive, ResolveRequest request) {
        long start = System.nanoTime();
        ResolvedClosure closure = archive.resolve(request);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%-46s %5d ms  (%d packages, %.1f MiB)%n", label, ms, closure.packages().size(), closure.totalSize() / 1048576.0);
        return Math.max(ms, 1);
    }
}
