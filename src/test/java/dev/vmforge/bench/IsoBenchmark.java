package dev.vmforge.bench;

import dev.vmforge.BuildLog;
import dev.vmforge.fs.HostFiles;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.pom.ImageConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.pipeline.HelloSystem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * vm:build-image of the hello system as a hybrid ISO next to its qcow2, measured in the same run with the packages
 * and the root file system cached (both need the generic kernel: an ISO needs USB storage and CD-ROM drivers, and
 * the reference uses the same kernel so that only the image step differs). Each image is built from a clean target
 * twice; the lower time counts. The two ISOs, built minutes apart from a clean target, must be identical.
 * Run: {@code mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.vmforge.bench.IsoBenchmark}
 */
public final class IsoBenchmark {
    public static void main(String[] args) throws Exception {
        Path project = Files.createTempDirectory("vm-iso-bench");
        Path cache = HelloSystem.sharedCache();
        OperatingSystemConfig config = HelloSystem.config();
        config.kernel = "linux-image-amd64";
        OperatingSystem os = HelloSystem.reader(project).readOperatingSystem(config);
        ImageSpec qcow2 = image(project, "qcow2");
        ImageSpec iso = image(project, "iso");

        // warm-up: packages, the builder environment and both root file systems' inputs in the shared cache
        ImageBenchmark.build(project, cache, os, qcow2, BuildLog.silent());
        ImageBenchmark.build(project, cache, os, iso, BuildLog.silent());

        double qcow2Seconds = Double.MAX_VALUE;
        double isoSeconds = Double.MAX_VALUE;
        Set<String> isoDigests = new TreeSet<>();
        for (int round = 0; round < 2; round++) {
            HostFiles.deleteRecursively(project.resolve("target"));
            qcow2Seconds = Math.min(qcow2Seconds, ImageBenchmark.build(project, cache, os, qcow2, BuildLog.silent()));
            HostFiles.deleteRecursively(project.resolve("target"));
            isoSeconds = Math.min(isoSeconds, ImageBenchmark.build(project, cache, os, iso, BuildLog.silent()));
            isoDigests.add(Files.readString(project.resolve("target/hello-1.0.iso.sha256")).split(" ")[0]);
        }
        System.out.printf(Locale.ROOT, "hello, clean target, linux-image-amd64: qcow2 %.1f s, iso %.1f s"
                + " = %.2f x the qcow2 build%n", qcow2Seconds, isoSeconds, isoSeconds / qcow2Seconds);
        System.out.println("ISO SHA-256 of the two clean builds: " + isoDigests
                + (isoDigests.size() == 1 ? " (identical)" : " (DIFFERENT: not reproducible)"));
        HostFiles.deleteRecursively(project);
    }

    private static ImageSpec image(Path project, String format) {
        ImageConfig config = new ImageConfig();
        config.format = format;
        return HelloSystem.reader(project).readImage(config);
    }
}
