package dev.vmforge.bench;

import dev.vmforge.BuildLog;
import dev.vmforge.docker.ImageArchive;
import dev.vmforge.it.TestRegistry;
import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.ProjectContext;
import dev.vmforge.os.pom.ApplicationConfig;
import dev.vmforge.os.pom.DistributionConfig;
import dev.vmforge.os.pom.DockerConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.pipeline.BuildContext;
import dev.vmforge.pipeline.Engine;
import dev.vmforge.registry.BlobLocations;
import dev.vmforge.registry.Credentials;
import dev.vmforge.registry.ImageContent;
import dev.vmforge.registry.ImagePusher;
import dev.vmforge.registry.PushResult;
import dev.vmforge.registry.RegistryClient;
import dev.vmforge.registry.RegistryOptions;
import dev.vmforge.fs.HostFiles;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Push time of src/examples/java-http's Docker image to Debian's docker-registry on 127.0.0.1:18449: the first
 * push to an empty repository, then the push after an application-only change (a new jar; the system layer is
 * already there). Next to it, in the same run and to the same registry: {@code podman push} of the same tarball
 * (after an untimed {@code podman load}) and {@code skopeo copy docker-archive:...}, when they are installed.
 * The image is built in-process from the example's own Main.java with the shared cache (its configured JRE system
 * is reused when an earlier build made it).
 * Run: {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.vmforge.bench.PushBenchmark}
 */
public final class PushBenchmark {
    private static final int PORT = 18449;
    private static final String USER = "bench";
    private static final String PASSWORD = "bench-Pa55";

    public static void main(String[] args) throws Exception {
        Path example = Path.of(args.length > 0 ? args[0] : "src/examples/java-http").toAbsolutePath();
        Path work = Files.createTempDirectory("vmforge-push-bench");
        Path cache = Path.of(System.getProperty("vm.cacheDirectory",
                System.getProperty("user.home") + "/.cache/vm-maven-plugin"));
        try {
            String source = Files.readString(example.resolve("src/main/java/dev/vmforge/examples/http/Main.java"));
            // one project, as a user's: the second build takes the system layer from the project's layer cache
            Path project = work.resolve("project");
            Path v1 = dockerImage(project, cache, jar(work.resolve("v1"), source), work.resolve("v1.tar"));
            Path v2 = dockerImage(project, cache, jar(work.resolve("v2"),
                    source.replace("Hello from java-http", "Hello again from java-http")), work.resolve("v2.tar"));
            System.out.printf(Locale.ROOT, "image: %s (%.1f MiB); after the change: %.1f MiB%n", example.getFileName(),
                    Files.size(v1) / 1048576.0, Files.size(v2) / 1048576.0);
            try (TestRegistry registry = TestRegistry.start(work.resolve("registry"), PORT, Map.of(USER, PASSWORD))) {
                double ours1 = ours(registry, v1, "ours:1");
                double ours2 = ours(registry, v2, "ours:2");
                print("vm:push-docker-image (java.net.http)", ours1, ours2, ours1, ours2);
                if (installed("podman")) {
                    double podman1 = podman(registry, v1, "podman:1");
                    double podman2 = podman(registry, v2, "podman:2");
                    print("podman push (after podman load)", podman1, podman2, ours1, ours2);
                } else {
                    System.out.println("podman push: podman is not installed");
                }
                if (installed("skopeo")) {
                    double skopeo1 = skopeo(registry, v1, "skopeo:1");
                    double skopeo2 = skopeo(registry, v2, "skopeo:2");
                    print("skopeo copy docker-archive:", skopeo1, skopeo2, ours1, ours2);
                }
            }
        } finally {
            HostFiles.deleteRecursively(work);
        }
    }

    private static void print(String what, double first, double changed, double oursFirst, double oursChanged) {
        System.out.printf(Locale.ROOT, "%-38s first push %6.2f s, after an application change %6.2f s"
                + " (ours / this: %.2f and %.2f)%n", what, first, changed, oursFirst / first, oursChanged / changed);
    }

    /** Push time of the tarball through the plugin's client: reading (hashing) it, connecting, pushing. */
    private static double ours(TestRegistry registry, Path tarball, String name) {
        long start = System.nanoTime();
        ImageContent image = ImageArchive.read(tarball);
        long read = System.nanoTime();
        RegistryClient client = RegistryClient.connect(registry.address(),
                r -> Optional.of(Credentials.password(USER, PASSWORD, "the benchmark")),
                RegistryOptions.defaults(BuildLog.silent()));
        long connected = System.nanoTime();
        PushResult result = new ImagePusher(BlobLocations.none(), BuildLog.silent())
                .push(client.push("bench/" + name.split(":")[0]), image, List.of(name.split(":")[1]));
        long end = System.nanoTime();
        System.out.printf(Locale.ROOT, "  ours %s: %d uploaded (%.1f MiB), %d already there; %.2f s = reading and"
                        + " hashing the tarball %.2f s + connecting %.2f s + pushing %.2f s%n", name, result.uploaded(),
                result.uploadedBytes() / 1048576.0, result.existing(), (end - start) / 1e9, (read - start) / 1e9,
                (connected - read) / 1e9, (end - connected) / 1e9);
        return (end - start) / 1e9;
    }

    private static double podman(TestRegistry registry, Path tarball, String name) throws Exception {
        long loadStart = System.nanoTime();
        String loaded = run(List.of("podman", "load", "-i", tarball.toString()));
        System.out.printf(Locale.ROOT, "  podman load %s: %.2f s (not counted)%n", name, (System.nanoTime() - loadStart) / 1e9);
        String image = loaded.lines().filter(l -> l.startsWith("Loaded image")).map(l -> l.substring(l.indexOf(':') + 1)
                .strip()).findFirst().orElseThrow(() -> new IllegalStateException("podman load said: " + loaded));
        try {
            long start = System.nanoTime();
            run(List.of("podman", "push", "--tls-verify=false", "--creds", USER + ":" + PASSWORD, image,
                    "docker://" + registry.address() + "/bench/" + name));
            return (System.nanoTime() - start) / 1e9;
        } finally {
            run(List.of("podman", "rmi", "-f", image));
        }
    }

    private static double skopeo(TestRegistry registry, Path tarball, String name) throws Exception {
        long start = System.nanoTime();
        run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", USER + ":" + PASSWORD,
                "docker-archive:" + tarball, "docker://" + registry.address() + "/bench/" + name));
        return (System.nanoTime() - start) / 1e9;
    }

    /** The java-http system and this jar as a Docker tarball, built by the engine with the shared cache. */
    private static Path dockerImage(Path project, Path cache, Path jar, Path copy) throws IOException {
        OperatingSystemConfig os = new OperatingSystemConfig();
        os.hostName = "java-http";
        os.distribution = new DistributionConfig();
        os.distribution.mirror = "http://deb.debian.org/debian";
        os.distribution.suite = "bookworm";
        os.packages = List.of("openjdk-17-jre-headless");
        os.application = new ApplicationConfig();
        os.application.mainClass = "dev.vmforge.examples.http.Main";
        DockerConfig docker = new DockerConfig();
        docker.ports = List.of("8080");
        ConfigurationReader reader = new ConfigurationReader(new ProjectContext(project, "java-http", "1.0.0",
                "java-http-1.0.0", "jar"));
        OperatingSystem system = reader.readOperatingSystem(os);
        DockerSpec spec = reader.readDocker(docker);
        BuildContext context = new BuildContext(project, project.resolve("target"), "java-http-1.0.0", cache, false,
                1_767_225_600L, Optional.empty(), Duration.ofMinutes(15), Duration.ofMinutes(5), "auto", false,
                Optional.of(new BuildContext.ApplicationFiles(jar, List.of(), Optional.empty())), BuildLog.console());
        try (Engine engine = new Engine(context)) {
            Files.copy(engine.buildDockerImage(system, spec), copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    /** Main.java compiled into a jar whose manifest names it. */
    private static Path jar(Path directory, String source) throws IOException {
        Path sources = directory.resolve("src/dev/vmforge/examples/http");
        Files.createDirectories(sources);
        Files.writeString(sources.resolve("Main.java"), source, StandardCharsets.UTF_8);
        Path classes = directory.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac.run(null, null, null, "--release", "17", "-d", classes.toString(),
                sources.resolve("Main.java").toString()) != 0) {
            throw new IllegalStateException("javac failed");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.vmforge.examples.http.Main");
        Path jar = directory.resolve("java-http-1.0.0.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             var paths = Files.walk(classes)) {
            for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
                JarEntry entry = new JarEntry(classes.relativize(p).toString().replace('\\', '/'));
                entry.setTime(1_767_225_600_000L);
                out.putNextEntry(entry);
                out.write(Files.readAllBytes(p));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command.subList(0, 2)) + " failed:\n" + out);
        }
        return out;
    }
}
