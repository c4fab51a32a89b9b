package dev.vmforge.docker;

import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.DockerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads the written archives with the real clients: skopeo inspects them and podman runs a busybox container.
 * Needs podman, skopeo and runc ({@code apt-get install podman runc skopeo}) and, to fetch busybox-static,
 * apt; run with {@code -Dvm.test.podman=true}. Podman gets its own containers.conf through CONTAINERS_CONF
 * ({@code default_ulimits = []}) and runs with {@code --runtime runc}, as crun fails on some kernels' cgroups.
 */
@EnabledIfSystemProperty(named = "vm.test.podman", matches = "true")
class DockerImagePodmanTest {
    private static final Path DEV = Path.of("/tmp/dockdev");
    private static final Path BUSYBOX = DEV.resolve("root/bin/busybox");

    @TempDir
    static Path dir;
    private static Path containersConf;

    @BeforeAll
    static void busyboxAndPodmanConfig() throws Exception {
        if (!Files.exists(BUSYBOX)) {
            Files.createDirectories(DEV);
            run(DEV, "apt-get", "download", "busybox-static");
            try (var debs = Files.list(DEV)) {
                Path deb = debs.filter(p -> p.getFileName().toString().startsWith("busybox-static_")).findFirst()
                        .orElseThrow();
                run(DEV, "dpkg-deb", "-x", deb.toString(), DEV.resolve("root").toString());
            }
        }
        containersConf = dir.resolve("containers.conf");
        Files.writeString(containersConf, "[containers]\ndefault_ulimits = []\n");
    }

    private static WrittenImage busyboxImage(String name, DockerSpec.Format format, Path output) throws IOException {
        FileTree system = new FileTree();
        system.add(FileEntry.file("bin/busybox", 0755, Content.ofFile(BUSYBOX)));
        system.add(FileEntry.symlink("bin/sh", "busybox"));
        system.add(FileEntry.directory("tmp", 01777));
        system.add(FileEntry.directory("etc", 0755));
        FileTree app = new FileTree();
        app.add(FileEntry.file("opt/app/greeting.txt", 0644, "from the application layer\n"));
        DockerSpec spec = new DockerSpec(name, format,
                List.of("/bin/busybox", "sh", "-c", "echo \"$GREETING\"; cat /opt/app/greeting.txt; ls -ld /tmp"),
                List.of("8080", "53/udp"), Map.of("GREETING", "hello from vmforge"), Map.of("org.example.test", "yes"));
        ContainerConfig config = ContainerConfig.of(spec, Instant.parse("2024-05-01T00:00:00Z"), List.of());
        return new DockerImageWriter().write(List.of(Layer.of("system", system), Layer.of("application", app)),
                config, spec, output);
    }

    @Test
    void skopeoReadsBothFormats() throws Exception {
        for (DockerSpec.Format format : DockerSpec.Format.values()) {
            WrittenImage image = busyboxImage("localhost/vmforge-test/skopeo:1", format, dir.resolve("s-" + format));
            String transport = format == DockerSpec.Format.OCI ? "oci-archive:" : "docker-archive:";
            String config = run(dir, "skopeo", "inspect", "--config", transport + image.file());
            Map<String, Object> c = TestJson.object(config.trim());
            @SuppressWarnings("unchecked") Map<String, Object> run = (Map<String, Object>) c.get("config");
            assertEquals("/bin/busybox", ((List<?>) run.get("Entrypoint")).get(0), format.name());
            assertTrue(((List<?>) run.get("Env")).contains("GREETING=hello from vmforge"), config);
            assertEquals(Map.of("53/udp", Map.of(), "8080/tcp", Map.of()), run.get("ExposedPorts"));
            String inspect = run(dir, "skopeo", "inspect", transport + image.file());
            assertTrue(inspect.contains(image.diffIds().get(0).substring(7)) || inspect.contains(image.layerDigests().get(0)),
                    inspect);
            assertTrue(inspect.contains("\"org.example.test\": \"yes\""), inspect); // skopeo shows no name here
        }
    }

    @Test
    void podmanLoadsAndRunsBothFormats() throws Exception {
        for (DockerSpec.Format format : DockerSpec.Format.values()) {
            String name = "localhost/vmforge-test/busybox:" + format.name().toLowerCase();
            WrittenImage image = busyboxImage(name, format, dir.resolve("p-" + format));
            try {
                String loaded = podman("load", "-i", image.file().toString());
                assertTrue(loaded.contains(name), loaded);
                String output = podman("run", "--rm", "--runtime", "runc", name);
                System.out.println(format + ": " + loaded.trim() + "\n" + output);
                assertTrue(output.contains("hello from vmforge"), output);
                assertTrue(output.contains("from the application layer"), output);
                assertTrue(output.contains("drwxrwxrwt"), "sticky /tmp survives: " + output);
                String id = podman("image", "inspect", "--format", "{{.Id}}", name).trim();
                assertEquals(image.configDigest().substring(7), id, "the image ID is the config digest");
            } finally {
                podmanQuietly("rmi", "-f", name);
            }
        }
    }

    private static String podman(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return run(dir, Map.of("CONTAINERS_CONF", containersConf.toString()), command);
    }

    private static void podmanQuietly(String... args) {
        try {
            podman(args);
        } catch (Exception | AssertionError ignored) {
            // cleanup only
        }
    }

    private static String run(Path cwd, String... command) throws Exception {
        return run(cwd, Map.of(), List.of(command));
    }

    private static String run(Path cwd, Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " failed with " + p.exitValue() + ":\n" + text);
        }
        return text;
    }
}
