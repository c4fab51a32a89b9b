package dev.vmforge.script;

import dev.vmforge.BuildException;
import dev.vmforge.os.VmSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplicationSharesTest {
    @TempDir
    Path root;

    private Path jar;
    private Path repository;
    private List<Path> dependencies;
    private Path output;

    @BeforeEach
    void project() throws IOException {
        jar = jar(root.resolve("project/target/demo-1.0.jar"));
        repository = root.resolve("home/.m2/repository");
        dependencies = List.of(
                jar(repository.resolve("org/example/a/1.0/a-1.0.jar")),
                jar(repository.resolve("org/other/b/2.0/b-2.0.jar")),
                jar(root.resolve("sibling/target/sibling-1.0.jar")),
                jar(root.resolve("project/target/lib/c-3.0.jar")));
        output = root.resolve("project/target/vm");
    }

    private static Path jar(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, new byte[]{'P', 'K', 3, 4});
    }

    private RunVmScriptSpec.ApplicationSpec app(Optional<Path> localRepository) {
        return new RunVmScriptSpec.ApplicationSpec("demo", "/opt/app", jar, dependencies, localRepository,
                "com.example.Main", List.of("-Xmx128m", "-Dgreeting=hello world"));
    }

    @Test
    void jarsAreReachedThroughFewReadOnlySharesAndTheLauncherIsMountedAtTheApplicationDirectory() {
        ApplicationShares plan = ApplicationShares.plan(app(Optional.of(repository)), output.resolve("app"),
                new ShareTags());
        List<NinePShare> shares = plan.shares();
        assertEquals(4, shares.size(), "launcher, target/, the local repository, the sibling module: " + shares);
        assertEquals(output.resolve("app"), shares.get(0).source());
        assertEquals("/opt/app", shares.get(0).guestTarget());
        assertEquals(List.of(jar.getParent(), repository, root.resolve("sibling/target")),
                shares.subList(1, 4).stream().map(NinePShare::source).toList());
        for (NinePShare share : shares) {
            assertTrue(!share.writable(), share + " is writable");
        }
        for (NinePShare share : shares.subList(1, 4)) {
            assertEquals(ApplicationShares.GUEST_ROOTS + "/" + share.tag(), share.guestTarget());
        }
    }

    @Test
    void withoutTheLocalRepositoryEachDependencyDirectoryIsShared() {
        ApplicationShares plan = ApplicationShares.plan(app(Optional.empty()), output.resolve("app"), new ShareTags());
        assertEquals(5, plan.shares().size(), plan.shares().toString());
    }

    /**
     * Runs the written launcher with a fake {@code java} that prints its arguments, then maps each classpath entry
     * back from its guest mount point to the host directory behind it: every one must be the jar it stands for.
     */
    @Test
    void theLauncherNamesEveryJarAtItsGuestPathInClasspathOrder() throws Exception {
        VmSpec vm = new VmSpec(256, 1, false, List.of(), List.of(), "tcg", false, false);
        Path disk = Files.write(root.resolve("disk.qcow2"), new byte[1]);
        RunVmScriptSpec spec = new RunVmScriptSpec("demo", disk, disk, disk, "root=UUID=1 console=ttyS0", vm,
                Optional.of(app(Optional.of(repository))), "qemu-system-x86_64", "qemu-img", Optional.empty());
        Path script = RunVmScript.write(spec, output);
        Path launcher = output.resolve("app/bin/demo");
        assertTrue(Files.isExecutable(launcher));

        Path bin = Files.createDirectories(root.resolve("fakebin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder("sh", launcher.toString(), "arg one").redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process process = builder.start();
        List<String> args = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, process.waitFor());
        assertEquals(List.of("-Xmx128m", "-Dgreeting=hello world", "-cp"), args.subList(0, 3));
        assertEquals(List.of("com.example.Main", "arg one"), args.subList(4, 6));

        List<NinePShare> shares = ApplicationShares.plan(spec.application().get(), output.resolve("app"),
                new ShareTags()).shares();
        List<Path> onHost = new ArrayList<>();
        for (String entry : args.get(3).split(":")) {
            NinePShare share = shares.stream().filter(s -> entry.startsWith(s.guestTarget() + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError(entry + " is under no share"));
            onHost.add(share.source().resolve(entry.substring(share.guestTarget().length() + 1)));
        }
        List<Path> expected = new ArrayList<>(List.of(jar));
        expected.addAll(dependencies);
        assertEquals(expected, onHost);

        // the script exports the same directories and tells the guest's init where to mount them
        String text = Files.readString(script);
        for (NinePShare share : shares) {
            assertTrue(text.contains(share.kernelArgument()), share.kernelArgument());
            assertTrue(text.contains("mount_tag=" + share.tag() + ",security_model=none,readonly=on"), share.tag());
        }
        assertTrue(text.contains(jar.toString()), "the script checks that the jar is there");
    }

    @Test
    void aMissingJarSaysToPackageFirst() throws IOException {
        Files.delete(jar);
        BuildException e = assertThrows(BuildException.class, () -> ApplicationShares.plan(
                app(Optional.of(repository)), output.resolve("app"), new ShareTags()));
        assertTrue(e.getMessage().contains("mvn package"), e.getMessage());
    }

    @Test
    void theApplicationJarMissingAtRunTimeStopsTheScript() throws Exception {
        VmSpec vm = new VmSpec(256, 1, false, List.of(), List.of(), "tcg", false, false);
        Path disk = Files.write(root.resolve("disk.qcow2"), new byte[1]);
        Path script = RunVmScript.write(new RunVmScriptSpec("demo", disk, disk, disk, "root=UUID=1", vm,
                Optional.of(app(Optional.of(repository))), "qemu-system-x86_64", "qemu-img", Optional.empty()), output);
        Files.delete(jar);
        FakeQemu fake = new FakeQemu(root.resolve("fake"));
        FakeQemu.Result result = fake.run(script, null, Map.of());
        assertTrue(result.status() != 0 && result.output().contains("run mvn package"), result.output());
        assertTrue(!fake.qemuRan());
    }
}
