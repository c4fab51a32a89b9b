package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.Sha256;
import dev.vmforge.app.ApplicationTree;
import dev.vmforge.debian.DebianVersion;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.os.Application;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.FileSpec;
import dev.vmforge.os.ImageSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.Service;
import dev.vmforge.os.User;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.Realizer;
import dev.vmforge.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * For each input of the POM, the lock file and the project's jars: exactly the derivations that read it get a new
 * key. The system's derivations (configured system, root file system, system image) must ignore the
 * application's jar, main class and JVM arguments and the {@code <docker>} block, so a code change never starts
 * the builder VM; everything must notice a change of the time stamp or of a package.
 */
class DerivationKeysTest {
    private static final Set<String> ALL = Set.of("builder", "configured", "rootfs", "system-image",
            "application-partition", "disk-image", "system-layer", "application-layer", "docker-image");
    /** What the generated system files (accounts, services, files, host name...) reach. */
    private static final Set<String> SYSTEM_FILES = Set.of("rootfs", "system-image", "disk-image", "system-layer",
            "docker-image");
    /** What the application's jars and launcher reach. */
    private static final Set<String> APPLICATION = Set.of("application-partition", "disk-image", "application-layer",
            "docker-image");
    private static final Set<String> IMAGE_SHAPE = Set.of("system-image", "disk-image");

    @TempDir
    Path dir;

    /** Everything the graph is made from. */
    private record Setup(OperatingSystem os, List<ResolvedPackage> packages, List<ResolvedPackage> builder,
                         Application application, Path jar, Path dependency, ImageSpec image, DockerSpec docker,
                         long time) {
        Setup with(UnaryOperator<Os> change) {
            return new Setup(change.apply(new Os(os)).build(), packages, builder, application, jar, dependency, image,
                    docker, time);
        }
    }

    /** A changeable copy of an {@link OperatingSystem}. */
    private static final class Os {
        String hostName;
        List<String> kernelArguments;
        List<User> users;
        List<FileSpec> files;
        List<Service> services;
        OperatingSystem.Network network;
        String timezone;
        final OperatingSystem base;

        Os(OperatingSystem os) {
            base = os;
            hostName = os.hostName();
            kernelArguments = os.kernelArguments();
            users = os.users();
            files = os.files();
            services = os.services();
            network = os.network();
            timezone = os.timezone();
        }

        OperatingSystem build() {
            return new OperatingSystem(hostName, base.distribution(), base.kernel(), kernelArguments, base.base(),
                    base.packages(), base.installRecommends(), users, files, base.application(), services, network,
                    timezone);
        }
    }

    @Test
    void eachInputChangesTheKeysOfExactlyTheDerivationsThatReadIt() throws Exception {
        Setup base = base();
        Map<String, DerivationKey> before = keys(base);
        assertEquals(ALL, before.keySet());
        Path otherMotd = Files.writeString(dir.resolve("motd-2"), "Welcome!\n");
        Path otherJar = jar("app-2.jar", "com.example.Main", "changed code");
        Path otherDependency = jar("lib-2.jar", null, "changed library");

        Map<String, Row> rows = new LinkedHashMap<>();
        rows.put("a system package's bytes", new Row(s -> new Setup(s.os(), replace(s.packages(), "libc6", "1"),
                s.builder(), s.application(), s.jar(), s.dependency(), s.image(), s.docker(), s.time()),
                union(Set.of("configured"), SYSTEM_FILES)));
        rows.put("the kernel package's bytes", new Row(s -> new Setup(s.os(),
                replace(s.packages(), "linux-image-cloud-amd64", "2"), s.builder(), s.application(), s.jar(),
                s.dependency(), s.image(), s.docker(), s.time()), Set.of("rootfs", "system-image", "disk-image")));
        rows.put("a builder package's bytes", new Row(s -> new Setup(s.os(), s.packages(),
                replace(s.builder(), "grub-pc-bin", "3"), s.application(), s.jar(), s.dependency(), s.image(),
                s.docker(), s.time()), union(Set.of("builder", "configured"), SYSTEM_FILES)));
        rows.put("project.build.outputTimestamp", new Row(s -> new Setup(s.os(), s.packages(), s.builder(),
                s.application(), s.jar(), s.dependency(), s.image(), s.docker(), s.time() + 1),
                minus(ALL, Set.of("builder"))));
        rows.put("<hostName>", new Row(s -> s.with(o -> {
            o.hostName = "other";
            return o;
        }), SYSTEM_FILES));
        rows.put("a user's <shell>", new Row(s -> s.with(o -> {
            o.users = List.of(new User("app", 1000, 1000, "/home/app", "/bin/bash", List.of()));
            return o;
        }), SYSTEM_FILES));
        rows.put("a <file>'s content", new Row(s -> s.with(o -> {
            o.files = List.of(new FileSpec(otherMotd, "/etc/motd", 0644, 0, 0));
            return o;
        }), SYSTEM_FILES));
        rows.put("a <file>'s mode", new Row(s -> s.with(o -> {
            o.files = List.of(new FileSpec(o.files.get(0).source(), "/etc/motd", 0600, 0, 0));
            return o;
        }), SYSTEM_FILES));
        // prints like two variables in a toString(); is one variable
        rows.put("a service's <environment>", new Row(s -> s.with(o -> {
            o.services = List.of(new Service("hello", "echo HELLO", "root", "/", Map.of("A", "1, B=x"),
                    Service.Restart.ALWAYS));
            return o;
        }), SYSTEM_FILES));
        rows.put("<network>", new Row(s -> s.with(o -> {
            o.network = OperatingSystem.Network.NONE;
            return o;
        }), SYSTEM_FILES));
        rows.put("<timezone>", new Row(s -> s.with(o -> {
            o.timezone = "Europe/Paris";
            return o;
        }), SYSTEM_FILES));
        rows.put("<kernelArguments>", new Row(s -> s.with(o -> {
            o.kernelArguments = List.of("quiet", "loglevel=3");
            return o;
        }), IMAGE_SHAPE));
        rows.put("<image><format>", new Row(s -> image(s, s.image().withFormat(ImageSpec.Format.RAW)), IMAGE_SHAPE));
        rows.put("<image><size>", new Row(s -> image(s, new ImageSpec(s.image().format(), OptionalLong.of(1L << 30),
                s.image().partitionTable(), s.image().firmware(), s.image().fileSystemType(),
                s.image().fileSystemLabel())), IMAGE_SHAPE));
        rows.put("<image><partitionTable>", new Row(s -> image(s, new ImageSpec(s.image().format(),
                s.image().sizeBytes(), ImageSpec.PartitionTable.MBR, s.image().firmware(), s.image().fileSystemType(),
                s.image().fileSystemLabel())), IMAGE_SHAPE));
        rows.put("<image><firmware>", new Row(s -> image(s, new ImageSpec(s.image().format(), s.image().sizeBytes(),
                s.image().partitionTable(), ImageSpec.Firmware.BIOS, s.image().fileSystemType(),
                s.image().fileSystemLabel())), IMAGE_SHAPE));
        rows.put("<image><fileSystemLabel>", new Row(s -> image(s, new ImageSpec(s.image().format(),
                s.image().sizeBytes(), s.image().partitionTable(), s.image().firmware(), s.image().fileSystemType(),
                "system")), IMAGE_SHAPE));
        // the root file system's initrd and fstab name its type
        rows.put("<image><fileSystemType>", new Row(s -> image(s, new ImageSpec(s.image().format(),
                s.image().sizeBytes(), s.image().partitionTable(), s.image().firmware(),
                ImageSpec.FileSystemType.EXT3, s.image().fileSystemLabel())), Set.of("rootfs", "system-image",
                "disk-image")));
        // the initrd carries overlay and the bus drivers; grub.cfg passes vmforge.root=volatile
        rows.put("<image><volatileRoot>", new Row(s -> image(s, new ImageSpec(s.image().format(),
                s.image().sizeBytes(), s.image().partitionTable(), s.image().firmware(), s.image().fileSystemType(),
                s.image().fileSystemLabel(), true)), Set.of("rootfs", "system-image", "disk-image")));
        rows.put("the project's jar", new Row(s -> new Setup(s.os(), s.packages(), s.builder(), s.application(),
                otherJar, s.dependency(), s.image(), s.docker(), s.time()), APPLICATION));
        rows.put("a dependency's jar", new Row(s -> new Setup(s.os(), s.packages(), s.builder(), s.application(),
                s.jar(), otherDependency, s.image(), s.docker(), s.time()), APPLICATION));
        rows.put("<mainClass>", new Row(s -> application(s, new Application("demo", "/opt/app",
                Optional.of("com.example.Other"), s.application().jvmArguments())), APPLICATION));
        rows.put("<jvmArguments>", new Row(s -> application(s, new Application("demo", "/opt/app",
                s.application().mainClass(), List.of("-Xmx512m"))), APPLICATION));
        // the default service runs DIRECTORY/bin/NAME: the system's files change too
        rows.put("<application><directory>", new Row(s -> application(s, new Application("demo", "/srv/demo",
                s.application().mainClass(), s.application().jvmArguments())), union(SYSTEM_FILES, APPLICATION)));
        rows.put("<docker><name>", new Row(s -> docker(s, new DockerSpec("demo:2", DockerSpec.Format.DOCKER,
                List.of(), List.of("8080/tcp"), Map.of("MODE", "prod"), Map.of())), Set.of("docker-image")));
        rows.put("<docker><environment>", new Row(s -> docker(s, new DockerSpec("demo:1", DockerSpec.Format.DOCKER,
                List.of(), List.of("8080/tcp"), Map.of("MODE", "test"), Map.of())), Set.of("docker-image")));
        rows.put("<docker><format>", new Row(s -> docker(s, new DockerSpec("demo:1", DockerSpec.Format.OCI,
                List.of(), List.of("8080/tcp"), Map.of("MODE", "prod"), Map.of())), Set.of("docker-image")));

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Row> row : rows.entrySet()) {
            Map<String, DerivationKey> after = keys(row.getValue().change().apply(base));
            Set<String> changed = new TreeSet<>();
            for (String derivation : ALL) {
                if (!before.get(derivation).equals(after.get(derivation))) {
                    changed.add(derivation);
                }
            }
            if (!changed.equals(new TreeSet<>(row.getValue().changes()))) {
                wrong.add(row.getKey() + ": changed " + changed + ", expected " + new TreeSet<>(row.getValue().changes()));
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(before, keys(base()), "the same inputs give the same keys");
    }

    private record Row(UnaryOperator<Setup> change, Set<String> changes) {
    }

    /** Every derivation's key, by name, for the graph of build-image and build-docker-image. */
    private Map<String, DerivationKey> keys(Setup s) throws IOException {
        Path stores = Files.createTempDirectory(dir, "store");
        Realizer realizer = new Realizer(new Store(stores.resolve("shared"), BuildLog.silent()),
                new Store(stores.resolve("project"), BuildLog.silent()), BuildLog.silent(), false);
        BuildContext context = new BuildContext(dir, dir.resolve("target"), "demo-1", dir.resolve("cache"), true,
                s.time(), Optional.empty(), Duration.ofMinutes(1), Duration.ofMinutes(5), "tcg", false, Optional.empty(), BuildLog.silent());
        Tools tools = new Tools(context, null, () -> {
            throw new AssertionError("no builder VM may start to compute keys");
        }, () -> {
            throw new AssertionError("no qemu-img either");
        });
        OperatingSystem os = s.os();
        os = new OperatingSystem(os.hostName(), os.distribution(), os.kernel(), os.kernelArguments(), os.base(),
                os.packages(), os.installRecommends(), os.users(), os.files(), Optional.of(s.application()),
                os.services(), os.network(), os.timezone());
        ApplicationTree application = ApplicationTree.of(s.application(), s.jar(), List.of(s.dependency()), s.time());
        SystemGraph graph = SystemGraph.of(os, closure(s.packages()), closure(s.builder()), Optional.of(application),
                s.time(), realizer, tools);
        Optional<ApplicationPartition> partition = graph.applicationPartition();
        DiskImage disk = graph.diskImage(s.image(), partition); // realizes the small application partition
        DockerImage docker = graph.dockerImage(s.docker());
        Map<String, Derivation<?>> derivations = new LinkedHashMap<>();
        derivations.put("builder", graph.builder());
        derivations.put("configured", graph.configured());
        derivations.put("rootfs", disk.system().rootfs());
        derivations.put("system-image", disk.system());
        derivations.put("application-partition", partition.orElseThrow());
        derivations.put("disk-image", disk);
        derivations.put("system-layer", docker.layers().get(0));
        derivations.put("application-layer", docker.layers().get(1));
        derivations.put("docker-image", docker);
        Map<String, DerivationKey> keys = new LinkedHashMap<>();
        derivations.forEach((name, d) -> keys.put(name, realizer.key(d)));
        return keys;
    }

    private Setup base() throws Exception {
        Path motd = dir.resolve("motd");
        if (!Files.exists(motd)) {
            Files.writeString(motd, "Hello\n");
        }
        OperatingSystem os = new OperatingSystem("demo", null, "linux-image-cloud-amd64", List.of("quiet"),
                OperatingSystem.Base.AUTO, List.of("busybox-static"), false,
                List.of(new User("app", 1000, 1000, "/home/app", "/bin/sh", List.of())),
                List.of(new FileSpec(motd, "/etc/motd", 0644, 0, 0)), Optional.empty(),
                List.of(new Service("hello", "echo HELLO", "root", "/", Map.of("A", "1", "B", "x"),
                        Service.Restart.ALWAYS)),
                OperatingSystem.Network.DHCP, "UTC");
        List<ResolvedPackage> packages = List.of(pkg("busybox-static", "0"), pkg("libc6", "0"),
                pkg("linux-image-cloud-amd64", "0"), pkg("openjdk-17-jre-headless", "0"));
        List<ResolvedPackage> builder = List.of(pkg("busybox-static", "0"), pkg("grub-pc-bin", "0"),
                pkg("linux-image-cloud-amd64", "0"));
        Application application = new Application("demo", "/opt/app", Optional.empty(), List.of("-Xmx256m"));
        ImageSpec image = new ImageSpec(ImageSpec.Format.QCOW2, OptionalLong.empty(), ImageSpec.PartitionTable.GPT,
                ImageSpec.Firmware.BIOS_EFI, ImageSpec.FileSystemType.EXT4, "root");
        DockerSpec docker = new DockerSpec("demo:1", DockerSpec.Format.DOCKER, List.of(), List.of("8080/tcp"),
                Map.of("MODE", "prod"), Map.of());
        return new Setup(os, packages, builder, application, jar("app.jar", "com.example.Main", "code"),
                jar("lib.jar", null, "library"), image, docker, 1_700_000_000L);
    }

    private static Setup image(Setup s, ImageSpec image) {
        return new Setup(s.os(), s.packages(), s.builder(), s.application(), s.jar(), s.dependency(), image,
                s.docker(), s.time());
    }

    private static Setup application(Setup s, Application application) {
        return new Setup(s.os(), s.packages(), s.builder(), application, s.jar(), s.dependency(), s.image(),
                s.docker(), s.time());
    }

    private static Setup docker(Setup s, DockerSpec docker) {
        return new Setup(s.os(), s.packages(), s.builder(), s.application(), s.jar(), s.dependency(), s.image(),
                docker, s.time());
    }

    /** A package whose .deb has other bytes: its index lists another SHA-256. */
    private static List<ResolvedPackage> replace(List<ResolvedPackage> packages, String name, String variant) {
        return packages.stream().map(p -> p.name().equals(name) ? pkg(name, variant) : p).toList();
    }

    private static ResolvedPackage pkg(String name, String variant) {
        return new ResolvedPackage(name, DebianVersion.parse("1.0"), "amd64", Sha256.hex(name + variant), 1000,
                "pool/" + name + ".deb", URI.create("http://deb.debian.org/debian/"), false, "optional");
    }

    private static ResolvedClosure closure(List<ResolvedPackage> packages) {
        return new ResolvedClosure(packages, List.of());
    }

    private Path jar(String name, String mainClass, String content) throws IOException {
        Path jar = dir.resolve(name);
        if (Files.exists(jar)) {
            return jar;
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("content.txt"));
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }
}
