package dev.vmforge.bench;

import dev.vmforge.BuildLog;
import dev.vmforge.launch.BootTimeline;
import dev.vmforge.launch.RunningVm;
import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.ProjectContext;
import dev.vmforge.os.StartSpec;
import dev.vmforge.os.VmSpec;
import dev.vmforge.os.pom.ApplicationConfig;
import dev.vmforge.os.pom.DistributionConfig;
import dev.vmforge.os.pom.HttpWaitConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.os.pom.ServiceConfig;
import dev.vmforge.os.pom.StartConfig;
import dev.vmforge.os.pom.VmConfig;
import dev.vmforge.os.pom.WaitForConfig;
import dev.vmforge.pipeline.BuildContext;
import dev.vmforge.pipeline.Engine;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Time from vm:start to ready, for the examples' systems ({@code src/examples/hello}: busybox and a service;
 * {@code src/examples/java-http}: a JDK HTTP service on Debian's JRE), booting the disk image (the reference) and
 * booting the kernel directly, with the share of each phase: the goal's up-to-date checks, QEMU's start, the
 * firmware (and GRUB), the kernel, the system's init and the service. What vm:start builds is built before the
 * timed runs (a warm project, as in a developer's second {@code mvn verify}); each variant runs twice and the
 * second run is reported.
 * Run: {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.vmforge.bench.VmStartBenchmark}
 * (see the README's Development section for cp.txt), from the repository's root.
 */
public final class VmStartBenchmark {
    private static final int RUNS = 2;

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(System.getProperty("vm.cacheDirectory",
                System.getProperty("user.home") + "/.cache/vm-maven-plugin"));
        Path root = Path.of("target", "bench-vm-start").toAbsolutePath();
        Map<String, Map<StartSpec.Boot, Result>> results = new LinkedHashMap<>();
        results.put("hello", measure(hello(root.resolve("hello"), cache)));
        results.put("java-http", measure(javaHttp(root.resolve("java-http"), cache)));

        for (Map.Entry<String, Map<StartSpec.Boot, Result>> system : results.entrySet()) {
            Result image = system.getValue().get(StartSpec.Boot.IMAGE);
            for (Map.Entry<StartSpec.Boot, Result> run : system.getValue().entrySet()) {
                Result r = run.getValue();
                System.out.printf(Locale.ROOT, "%-9s %-6s ready in %5.1f s = %.2f x image: %s%n", system.getKey(),
                        run.getKey().name().toLowerCase(Locale.ROOT), r.total, r.total / image.total, r.shares());
            }
        }
    }

    /** One system under test: how to make its engine, and its declared parts. */
    private record Subject(Engine engine, OperatingSystem os, VmSpec vm, ImageSpec image, StartConfig start,
                           ConfigurationReader reader) {
    }

    /** The phases of one start: the goal's own work before QEMU, then the timeline. */
    private record Result(double total, double prepare, List<BootTimeline.Phase> phases) {
        String shares() {
            List<String> parts = new ArrayList<>();
            parts.add(share("checks", prepare));
            for (BootTimeline.Phase phase : phases) {
                parts.add(share(phase.name(), phase.duration().toMillis() / 1000.0));
            }
            return String.join(", ", parts);
        }

        private String share(String name, double seconds) {
            return String.format(Locale.ROOT, "%s %.1f s (%.0f %%)", name, seconds, 100 * seconds / total);
        }
    }

    private static Map<StartSpec.Boot, Result> measure(Subject subject) {
        Map<StartSpec.Boot, Result> results = new LinkedHashMap<>();
        for (StartSpec.Boot boot : StartSpec.Boot.values()) {
            subject.start().boot = boot.name();
            StartSpec start = subject.reader().readStart(subject.start(), subject.vm());
            subject.engine().bootableSystem(subject.os(), subject.image(), boot); // built outside the timing
            Result last = null;
            for (int run = 0; run < RUNS; run++) {
                long begin = System.nanoTime();
                RunningVm vm = subject.engine().startVm(subject.os(), subject.vm(), subject.image(), start,
                        "bench-" + boot + "-" + run);
                double total = (System.nanoTime() - begin) / 1e9;
                BootTimeline timeline = vm.timeline();
                last = new Result(total, total - timeline.total().toMillis() / 1000.0, timeline.phases());
                subject.engine().stopVms(Optional.of(start.id()), Duration.ofSeconds(10));
            }
            results.put(boot, last);
        }
        return results;
    }

    private static OperatingSystemConfig bookworm(String... packages) {
        OperatingSystemConfig os = new OperatingSystemConfig();
        os.distribution = new DistributionConfig();
        os.distribution.mirror = "http://deb.debian.org/debian";
        os.distribution.suite = "bookworm";
        os.packages = List.of(packages);
        return os;
    }

    /** src/examples/hello: ready when the service prints its line. */
    private static Subject hello(Path project, Path cache) throws Exception {
        Files.createDirectories(project);
        OperatingSystemConfig os = bookworm("busybox-static");
        ServiceConfig hello = new ServiceConfig();
        hello.name = "hello";
        hello.command = "echo \"HELLO from $(hostname)\"; exec sleep 3600";
        os.services = List.of(hello);
        StartConfig start = new StartConfig();
        start.waitFor = new WaitForConfig();
        start.waitFor.log = "HELLO from";
        return subject(project, cache, "hello", "pom", os, new VmConfig(), start, Optional.empty());
    }

    /** src/examples/java-http, its Main compiled here: ready when it answers HTTP. */
    private static Subject javaHttp(Path project, Path cache) throws Exception {
        Files.createDirectories(project);
        OperatingSystemConfig os = bookworm("openjdk-17-jre-headless");
        os.application = new ApplicationConfig();
        os.application.jvmArguments = List.of("-Xmx128m", "-XX:TieredStopAtLevel=1");
        VmConfig vm = new VmConfig();
        vm.memorySize = 512;
        vm.portForwardings = List.of("0:8080");
        StartConfig start = new StartConfig();
        start.waitFor = new WaitForConfig();
        start.waitFor.http = new HttpWaitConfig();
        start.waitFor.http.port = 8080;
        start.timeout = 900;
        Path jar = exampleJar(project);
        return subject(project, cache, "java-http", "jar", os, vm, start,
                Optional.of(new BuildContext.ApplicationFiles(jar, List.of(), Optional.empty())));
    }

    private static Subject subject(Path project, Path cache, String name, String packaging, OperatingSystemConfig os,
                                   VmConfig vm, StartConfig start,
                                   Optional<BuildContext.ApplicationFiles> application) {
        ConfigurationReader reader = new ConfigurationReader(new ProjectContext(project, name, "1.0.0",
                name + "-1.0.0", packaging));
        BuildContext context = new BuildContext(project, project.resolve("target"), name + "-1.0.0", cache, false, 1,
                Optional.empty(), Duration.ofMinutes(15), Duration.ofMinutes(5), "auto", false, application,
                BuildLog.console());
        return new Subject(new Engine(context), reader.readOperatingSystem(os), reader.readVm(vm),
                reader.readImage(null), start, reader);
    }

    /** The java-http example's Main, compiled and packed with its Main-Class, as mvn package would. */
    private static Path exampleJar(Path project) throws Exception {
        Path sources = Path.of("src/examples/java-http/src/main/java");
        Path classes = project.resolve("classes");
        Files.createDirectories(classes);
        List<String> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
        arguments.addAll(files);
        if (javac.run(null, null, null, arguments.toArray(String[]::new)) != 0) {
            throw new IllegalStateException("cannot compile " + sources);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.vmforge.examples.http.Main");
        Path jar = project.resolve("java-http-1.0.0.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> walk = Files.walk(classes)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
