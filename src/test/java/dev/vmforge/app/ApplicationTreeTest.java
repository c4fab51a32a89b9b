package dev.vmforge.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.os.Application;
import dev.vmforge.os.Distribution;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.Service;
import dev.vmforge.os.User;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplicationTreeTest {
    @TempDir
    Path dir;

    private Path jar(String name, String mainClass) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("x.txt"));
            out.write(name.getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    @Test
    void laysOutJarsAndWritesALauncherWithClasspathArgumentsAndTheManifestMainClass() throws Exception {
        Path project = jar("java-http-1.0.0.jar", "com.example.Main");
        Path gson = jar("gson-2.10.jar", null);
        Path slf4j = jar("slf4j-api-2.0.jar", null);
        Application app = new Application("java-http", "/opt/app", Optional.empty(), List.of("-Xmx128m", "-Dgreeting=hi there"));

        ApplicationTree layer = ApplicationTree.of(app, project, List.of(gson, slf4j), 1_700_000_000L);

        FileTree tree = layer.tree();
        assertEquals(List.of("opt", "opt/app", "opt/app/bin", "opt/app/bin/java-http", "opt/app/java-http.jar",
                "opt/app/lib", "opt/app/lib/gson-2.10.jar", "opt/app/lib/slf4j-api-2.0.jar"),
                tree.entries().stream().map(FileEntry::path).toList());
        assertEquals(Files.size(project), tree.get("opt/app/java-http.jar").orElseThrow().content().size());
        FileEntry launcher = tree.get("opt/app/bin/java-http").orElseThrow();
        assertEquals(0755, launcher.mode());
        assertEquals("/opt/app/bin/java-http", layer.launcher());
        String text = new String(launcher.content().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("#!/bin/sh\n"), text);
        assertTrue(text.endsWith("\nexec java -Xmx128m '-Dgreeting=hi there' -cp "
                + "/opt/app/java-http.jar:/opt/app/lib/gson-2.10.jar:/opt/app/lib/slf4j-api-2.0.jar"
                + " com.example.Main \"$@\"\n"), text);
        assertEquals(1_700_000_000L, launcher.mtime());
    }

    @Test
    void configuredMainClassWinsOverTheManifest() throws Exception {
        Path project = jar("a.jar", "com.example.Main");
        Application app = new Application("a", "/srv/a", Optional.of("com.example.Other"), List.of());
        String text = new String(ApplicationTree.of(app, project, List.of(), 1).tree().get("srv/a/bin/a")
                .orElseThrow().content().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(text.contains(" com.example.Other \"$@\""), text);
    }

    @Test
    void noMainClassAnywhereNamesTheElement() throws Exception {
        Path project = jar("a.jar", null);
        Application app = new Application("a", "/opt/app", Optional.empty(), List.of());
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ApplicationTree.of(app, project, List.of(), 1));
        assertTrue(e.getMessage().contains("application/mainClass") && e.getMessage().contains("Main-Class"),
                e.getMessage());
    }

    @Test
    void missingJavaSuggestsAJrePackage() {
        FileTree system = new FileTree();
        system.add(FileEntry.file("bin/busybox", 0755, "x"));
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ApplicationTree.requireJava(system));
        assertTrue(e.getMessage().contains("<package>openjdk-17-jre-headless</package>"), e.getMessage());

        FileTree unconfigured = new FileTree();
        unconfigured.add(FileEntry.file("usr/lib/jvm/java-17-openjdk-amd64/bin/java", 0755, "elf"));
        ApplicationTree.requireJava(unconfigured);
        FileTree configured = new FileTree();
        configured.add(FileEntry.file("usr/lib/jvm/java-17-openjdk-amd64/bin/java", 0755, "elf"));
        configured.add(FileEntry.symlink("etc/alternatives/java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"));
        configured.add(FileEntry.symlink("usr/bin/java", "/etc/alternatives/java"));
        ApplicationTree.requireJava(configured);
    }

    private static OperatingSystem os(List<User> users, List<Service> services) {
        return new OperatingSystem("demo", null, "linux-image-amd64", List.of(), OperatingSystem.Base.AUTO, List.of(),
                false, users, List.of(), Optional.of(new Application("java-http", "/opt/app", Optional.empty(), List.of())),
                services, OperatingSystem.Network.DHCP, "UTC");
    }

    @Test
    void defaultServiceRunsTheLauncherAsANewUnprivilegedUser() {
        OperatingSystem os = ApplicationTree.withDefaultService(os(
                List.of(new User("admin", 1000, 1000, "/home/admin", "/bin/sh", List.of())), List.of()));
        Service service = os.services().get(0);
        assertEquals(List.of("java-http", "/opt/app/bin/java-http", "java-http", "/opt/app"),
                List.of(service.name(), service.command(), service.user(), service.workingDirectory()));
        User user = os.users().get(1);
        assertEquals(List.of("java-http", 1001, 1001, "/opt/app"), List.of(user.name(), user.uid(), user.gid(), user.home()));
    }

    @Test
    void aServiceNamedAfterTheApplicationOrRunningItsLauncherReplacesTheDefault() {
        OperatingSystem named = os(List.of(), List.of(new Service("java-http", "/opt/app/bin/java-http --x", "root", "/",
                Map.of(), Service.Restart.ALWAYS)));
        assertSame(named, ApplicationTree.withDefaultService(named));
        OperatingSystem running = os(List.of(), List.of(new Service("web", "exec /opt/app/bin/java-http", "root", "/",
                Map.of(), Service.Restart.ALWAYS)));
        assertSame(running, ApplicationTree.withDefaultService(running));
    }

    @Test
    void userNamesAreValidLoginNames() {
        assertEquals("my-app", ApplicationTree.userName("My.App"));
        assertEquals("app-1st", ApplicationTree.userName("1st"));
    }
}
