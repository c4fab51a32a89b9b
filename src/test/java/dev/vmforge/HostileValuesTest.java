package dev.vmforge;

import dev.vmforge.app.ApplicationTree;
import dev.vmforge.docker.ContainerConfig;
import dev.vmforge.docker.DockerImageWriter;
import dev.vmforge.docker.Layer;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.image.GrubConfig;
import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.os.DockerSpec;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.ProjectContext;
import dev.vmforge.os.VmSpec;
import dev.vmforge.os.pom.ApplicationConfig;
import dev.vmforge.os.pom.DockerConfig;
import dev.vmforge.os.pom.FileConfig;
import dev.vmforge.os.pom.ImageConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.os.pom.ServiceConfig;
import dev.vmforge.os.pom.ShareConfig;
import dev.vmforge.os.pom.UserConfig;
import dev.vmforge.os.pom.VmConfig;
import dev.vmforge.script.FakeQemu;
import dev.vmforge.script.MountTags;
import dev.vmforge.script.RunVmScript;
import dev.vmforge.script.RunVmScriptSpec;
import dev.vmforge.system.SystemConfiguration;
import dev.vmforge.system.SystemFiles;
import dev.vmforge.system.SystemOptions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile values in every POM element that ends up in a generated file, script or command line: each row ends
 * either in an error naming the element, or in exactly the bytes the value asks for, read where they take effect:
 * GRUB's {@code linux} line, {@code /etc/passwd}, what a service's run file does when sh runs it, the arguments
 * {@code java} gets from the launcher, the arguments QEMU gets from run-vm.sh (both run with fakes on PATH), the
 * Docker image config.
 */
class HostileValuesTest {
    private static final UUID ROOT = UUID.fromString("5f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0");
    private static final String BOOT = "root=UUID=" + ROOT + " ro console=ttyS0 panic=-1";

    @TempDir
    Path dir;
    private Path base;

    /** The POM's blocks and the jar manifest's Main-Class; {@link #pom()} gives a valid one to spoil. */
    static final class Pom {
        final OperatingSystemConfig os = new OperatingSystemConfig();
        final VmConfig vm = new VmConfig();
        final DockerConfig docker = new DockerConfig();
        final ImageConfig image = new ImageConfig();
        String manifestMainClass = "com.example.Main";

        UserConfig user() {
            return os.users.get(0);
        }

        ServiceConfig service() {
            return os.services.get(0);
        }

        ShareConfig share() {
            return vm.shares.get(0);
        }
    }

    @BeforeEach
    void project() throws IOException {
        base = Files.createDirectories(dir.resolve("project"));
        Files.createDirectories(base.resolve("data"));
        Files.writeString(Files.createDirectories(base.resolve("src/vm")).resolve("motd"), "hi\n");
    }

    private Pom pom() {
        Pom pom = new Pom();
        pom.os.hostName = "demo";
        pom.os.packages = List.of("busybox-static", "openjdk-17-jre-headless");
        UserConfig user = new UserConfig();
        user.name = "app";
        user.uid = 1000;
        pom.os.users = new ArrayList<>(List.of(user));
        ServiceConfig service = new ServiceConfig();
        service.name = "hello";
        service.command = "printf %s \"$GREETING\"";
        service.user = "app";
        service.environment.put("GREETING", "hi");
        pom.os.services = new ArrayList<>(List.of(service));
        pom.os.application = new ApplicationConfig();
        ShareConfig share = new ShareConfig();
        share.source = "data";
        share.target = "/mnt/data";
        pom.vm.shares = new ArrayList<>(List.of(share));
        pom.docker.name = "demo:1.0";
        return pom;
    }

    // ---- the table ----

    private record Refused(String element, String value, Consumer<Pom> set, String hint) {
    }

    private interface Artifact {
        Object of(Generated generated) throws Exception;
    }

    private record Written(String what, String value, Consumer<Pom> set, Artifact artifact, Object expected) {
    }

    private List<Refused> refusals() {
        String os = "operatingSystem/";
        String user = os + "users/user[1]/";
        String service = os + "services/service[1]/";
        String share = "vm/shares/share[1]/target";
        List<Refused> rows = new ArrayList<>();
        for (String argument : List.of("console=ttyS0 quiet", "x=\"1\"", "it's", "a\\b")) {
            rows.add(new Refused(os + "kernelArguments/argument[1]", argument,
                    p -> p.os.kernelArguments = List.of(argument), "one argument per <argument>"));
        }
        rows.add(new Refused(os + "kernelArguments/argument[1]", "init=/bin/sh\nrw",
                p -> p.os.kernelArguments = List.of("init=/bin/sh\nrw"), "line break"));
        rows.add(new Refused(user + "home", "/home/a:b", p -> p.user().home = "/home/a:b", "/etc/passwd"));
        rows.add(new Refused(user + "home", "/home/app\nroot::0:0::/:/bin/sh",
                p -> p.user().home = "/home/app\nroot::0:0::/:/bin/sh", "line break"));
        rows.add(new Refused(user + "shell", "/bin/sh:/x", p -> p.user().shell = "/bin/sh:/x", "/etc/passwd"));
        rows.add(new Refused(user + "shell", "/bin/sh\n", p -> p.user().shell = "/bin/sh\n/x", "line break"));
        for (String name : List.of("app:x", "app\nroot", "App", "a b")) {
            rows.add(new Refused(user + "name", name, p -> p.user().name = name, "not a valid account name"));
        }
        rows.add(new Refused(user + "groups/group[1]", "wheel:x", p -> p.user().groups = List.of("wheel:x"),
                "not a valid account name"));
        rows.add(new Refused(os + "application/mainClass", "com.example.Main; reboot",
                p -> p.os.application.mainClass = "com.example.Main; reboot", "not a Java class name"));
        for (String manifest : List.of("com.example.Main $(reboot)", "-version", "com.example.Main'")) {
            rows.add(new Refused(os + "application/mainClass", "Main-Class: " + manifest,
                    p -> p.manifestMainClass = manifest, "manifest's Main-Class"));
        }
        rows.add(new Refused(os + "application/jvmArguments/argument[1]", "-Da=1\n-Db=2",
                p -> p.os.application.jvmArguments = List.of("-Da=1\n-Db=2"), "line break"));
        for (String directory : List.of("/opt/my app", "/opt/a:b", "/opt/it's")) {
            rows.add(new Refused(os + "application/directory", directory, p -> p.os.application.directory = directory,
                    "choose a directory without"));
        }
        for (String target : List.of("/mnt/a b", "/mnt/data:ro", "/mnt/it's", "/mnt/a\\b")) {
            rows.add(new Refused(share, target, p -> p.share().target = target, "choose a mount point without"));
        }
        for (String name : List.of("-rf", ".hidden", "a b", "../x", "a;b", "a/b", "$(x)")) {
            rows.add(new Refused(service + "name", name, p -> p.service().name = name, "not a valid service name"));
        }
        rows.add(new Refused(service + "command", "echo a\nreboot", p -> p.service().command = "echo a\nreboot",
                "line break"));
        rows.add(new Refused(service + "environment/GREETING", "a\nb",
                p -> p.service().environment.put("GREETING", "a\nb"), "line break"));
        rows.add(new Refused(service + "workingDirectory", "/srv\n/x", p -> p.service().workingDirectory = "/srv\n/x",
                "line break"));
        rows.add(new Refused(service + "user", "app;reboot", p -> p.service().user = "app;reboot", "not a known account"));
        rows.add(new Refused("docker/environment/GREETING", "a\nb", p -> p.docker.environment.put("GREETING", "a\nb"),
                "line break"));
        rows.add(new Refused("docker/name", "demo;reboot", p -> p.docker.name = "demo;reboot", ""));
        for (String host : List.of("demo;reboot", "de mo", "$(x)", "demo\nevil")) {
            rows.add(new Refused(os + "hostName", host, p -> p.os.hostName = host, "not a valid host name"));
        }
        for (String target : List.of("/etc/a\nb", "/etc/../../x")) {
            rows.add(new Refused(os + "files/file[1]/target", target, p -> p.os.files = List.of(file(target)), ""));
        }
        for (String label : List.of("my root", "a|b", "$(x)", "it's")) {
            rows.add(new Refused("image/fileSystemLabel", label, p -> p.image.fileSystemLabel = label, "use 1 to 16"));
        }
        return rows;
    }

    private List<Written> writes() throws IOException {
        List<Written> rows = new ArrayList<>();
        // a '|' gave BUILD SUCCESS and an image stuck at the grub> prompt
        for (String argument : List.of("a|b", "x=$y", "#c", "{x}", "a;b", "c&d<e>f", "*", "g=[ab]?", "t=`id`")) {
            rows.add(new Written("grub.cfg", argument, p -> p.os.kernelArguments = List.of(argument),
                    Generated::grubLinuxLine, "linux /boot/vmlinuz-6.1.0-9-amd64 " + BOOT + " '" + argument + "'"));
            rows.add(new Written("QEMU -append", argument, p -> p.os.kernelArguments = List.of(argument),
                    g -> g.qemuValueAfter("-append"), BOOT + " " + argument + " " + share("data", "/mnt/data")));
        }
        rows.add(new Written("grub.cfg", "quiet", p -> p.os.kernelArguments = List.of("quiet", "net.ifnames=0"),
                Generated::grubLinuxLine, "linux /boot/vmlinuz-6.1.0-9-amd64 " + BOOT + " quiet net.ifnames=0"));
        String home = "/home/a b$c;d|e*";
        rows.add(new Written("/etc/passwd", home, p -> p.user().home = home,
                g -> g.line("etc/passwd", "app:"), "app:x:1000:1000::" + home + ":/bin/sh"));
        rows.add(new Written("/etc/passwd", "/bin/my shell", p -> p.user().shell = "/bin/my shell",
                g -> g.line("etc/passwd", "app:"), "app:x:1000:1000::/home/app:/bin/my shell"));
        String command = "printf '%s\\n' 'a|b' \"it's\" '$HOME' \"*\" `echo x`";
        rows.add(new Written("service command, run by sh", command, p -> p.service().command = command,
                g -> g.runService("hello"), "a|b\nit's\n$HOME\n*\nx\n"));
        String value = "it's \"q\" $HOME `id` $(id) ;|&* \\n \\";
        rows.add(new Written("service environment, run by sh", value, p -> p.service().environment.put("GREETING", value),
                g -> g.runService("hello"), value));
        Path odd = Files.createDirectories(dir.resolve("w $x'y;z|*"));
        rows.add(new Written("service working directory, run by sh", odd.toString(), p -> {
            p.service().workingDirectory = odd.toString();
            p.service().command = "pwd";
        }, g -> g.runService("hello"), odd + "\n"));
        String jvm = "-Dgreeting=$(reboot) 'x' *;|";
        rows.add(new Written("launcher, java's arguments", jvm, p -> p.os.application.jvmArguments = List.of(jvm, "-Xmx64m"),
                Generated::javaArguments, List.of(jvm, "-Xmx64m", "-cp", "/opt/app/demo.jar", "com.example.Main", "app-arg")));
        rows.add(new Written("launcher, java's arguments", "com.example.Main$Inner",
                p -> p.os.application.mainClass = "com.example.Main$Inner",
                Generated::javaArguments, List.of("-cp", "/opt/app/demo.jar", "com.example.Main$Inner", "app-arg")));
        rows.add(new Written("launcher, java's arguments", "Main-Class: a.Main$1",
                p -> p.manifestMainClass = "a.Main$1",
                Generated::javaArguments, List.of("-cp", "/opt/app/demo.jar", "a.Main$1", "app-arg")));
        String appDir = "/opt/$app;x|y";
        rows.add(new Written("launcher, java's arguments", appDir, p -> p.os.application.directory = appDir,
                Generated::javaArguments, List.of("-cp", appDir + "/demo.jar", "com.example.Main", "app-arg")));
        rows.add(new Written("the application's default service", appDir, p -> p.os.application.directory = appDir,
                g -> g.line("etc/vmforge/services/demo.run", "exec "),
                "exec /bin/sh -c ''\\''/opt/$app;x|y/bin/demo'\\'''"));
        String target = "/mnt/[ab]*$x;y|z";
        rows.add(new Written("QEMU -append", target, p -> p.share().target = target,
                g -> g.qemuValueAfter("-append"), BOOT + " " + share("data", target)));
        Path source = Files.createDirectories(base.resolve("data, $x 'y'"));
        rows.add(new Written("QEMU -virtfs", source.toString(), p -> p.share().source = source.getFileName().toString(),
                g -> g.qemuValueAfter("-virtfs"), "local,path=" + source.toString().replace(",", ",,") + ",mount_tag="
                + MountTags.forPath(source) + ",security_model=none,readonly=on"));
        rows.add(new Written("QEMU -fw_cfg (full boot)", "/mnt/a,b", p -> {
            p.share().target = "/mnt/a,b";
            p.vm.fullBoot = true;
        }, g -> g.qemuValueAfter("-fw_cfg"), "name=" + RunVmScript.FW_CFG_SHARES + ",string="
                + share("data", "/mnt/a,,b")));
        String fileTarget = "/etc/a b$c|d*;e";
        rows.add(new Written("file target in the system", fileTarget, p -> p.os.files = List.of(file(fileTarget)),
                g -> g.text(fileTarget.substring(1)), "hi\n"));
        String label = "line1\nline2 \"q\" <b>&' \\";
        rows.add(new Written("Docker image config", label, p -> p.docker.labels.put("description", label),
                g -> g.dockerConfigPart("\"Labels\""), "\"Labels\":{\"description\":\"line1\\nline2 \\\"q\\\" <b>&' \\\\\"}"));
        String env = "it's \"q\" $x \\ ;|";
        rows.add(new Written("Docker image config", env, p -> p.docker.environment.put("GREETING", env),
                g -> g.dockerConfigPart("\"Env\""), "\"Env\":[\"GREETING=it's \\\"q\\\" $x \\\\ ;|\","));
        return rows;
    }

    private String share(String sourceName, String target) {
        return "vmforge.share=" + MountTags.forPath(base.resolve(sourceName)) + ":" + target + ":ro";
    }

    private static FileConfig file(String target) {
        FileConfig file = new FileConfig();
        file.source = "src/vm/motd";
        file.target = target;
        return file;
    }

    @Test
    void everyHostileValueIsRefusedNamingItsElement() throws Exception {
        generate(pom()).everything(); // the unspoilt POM goes through
        List<String> failures = new ArrayList<>();
        for (Refused row : refusals()) {
            Pom pom = pom();
            row.set().accept(pom);
            try {
                generate(pom).everything();
                failures.add(row.element() + " = " + printable(row.value()) + ": accepted");
            } catch (InvalidConfigurationException e) {
                if (!row.element().equals(e.element()) || !e.getMessage().contains(row.hint())) {
                    failures.add(row.element() + " = " + printable(row.value()) + ": " + printable(e.getMessage()));
                }
            }
        }
        assertTrue(failures.isEmpty(), "rows that did not end in an error naming the element:\n"
                + String.join("\n", failures));
        assertTrue(refusals().size() > 40, "the table shrank");
    }

    @Test
    void everyOtherValueIsWrittenExactly() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Written row : writes()) {
            Pom pom = pom();
            row.set().accept(pom);
            try {
                Object actual = row.artifact().of(generate(pom));
                if (!row.expected().equals(actual)) {
                    failures.add(row.what() + " for " + printable(row.value()) + ":\n  expected "
                            + printable(row.expected().toString()) + "\n  got      " + printable(String.valueOf(actual)));
                }
            } catch (InvalidConfigurationException e) {
                failures.add(row.what() + " for " + printable(row.value()) + ": refused: " + e.getMessage());
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static String printable(String text) {
        return text.replace("\n", "\\n");
    }

    // ---- what the plugin generates from a POM ----

    private Generated generate(Pom pom) throws IOException {
        Path jar = dir.resolve("demo-" + System.nanoTime() + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, pom.manifestMainClass);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return new Generated(pom, jar);
    }

    /** The generated artifacts of one POM, each made when asked for, as the goals make them. */
    private final class Generated {
        private final Pom pom;
        private final Path jar;
        private final ConfigurationReader reader;

        Generated(Pom pom, Path jar) {
            this.pom = pom;
            this.jar = jar;
            this.reader = new ConfigurationReader(new ProjectContext(base, "demo", "1.0", "demo-1.0", "jar"));
        }

        /** Everything, for the rows that must fail: each generator may be the one that refuses. */
        void everything() throws Exception {
            reader.readImage(pom.image);
            grubLinuxLine();
            system();
            javaArguments();
            runVmScript();
            dockerConfig();
        }

        OperatingSystem os() {
            return reader.readOperatingSystem(pom.os);
        }

        private GrubConfig grub() {
            OperatingSystem os = os();
            return new GrubConfig(os.hostName(), ROOT, "/boot/vmlinuz-6.1.0-9-amd64", "/boot/initrd.img-6.1.0-9-amd64",
                    os.kernelArguments());
        }

        String grubLinuxLine() {
            return grub().text().lines().map(String::strip).filter(l -> l.startsWith("linux ")).findFirst().orElseThrow();
        }

        FileTree system() {
            FileTree tree = new FileTree();
            tree.add(FileEntry.file("bin/busybox", 0755, "not really busybox"));
            SystemFiles.addTo(tree, SystemConfiguration.of(os()), SystemOptions.forVm(ROOT.toString(), "ext4", 86400),
                    BuildLog.silent());
            return tree;
        }

        String text(String path) throws IOException {
            return textOf(system(), path);
        }

        /** The line of a generated file that starts with {@code prefix}. */
        String line(String path, String prefix) throws IOException {
            return text(path).lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        }

        /** Runs the service's run file with sh, as run-service does (the guest's paths are the host's here). */
        String runService(String name) throws Exception {
            Path runFile = dir.resolve(name + ".run");
            Files.writeString(runFile, text("etc/vmforge/services/" + name + ".run"));
            return run(List.of("sh", runFile.toString()), Map.of("PATH", "/usr/bin:/bin"));
        }

        /** The arguments java gets from the application's launcher, run by sh with a fake java first on PATH. */
        List<String> javaArguments() throws Exception {
            ApplicationTree app = ApplicationTree.of(os().application().orElseThrow(), jar, List.of(), 1);
            Path launcher = dir.resolve("launcher");
            Files.writeString(launcher, textOf(app.tree(), app.launcher().substring(1)));
            Path bin = Files.createDirectories(dir.resolve("fake-java"));
            Path java = bin.resolve("java");
            Files.writeString(java, "#!/bin/sh\nprintf '%s\\0' \"$@\"\n");
            Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
            String out = run(List.of("sh", launcher.toString(), "app-arg"), Map.of("PATH", bin + ":/usr/bin:/bin"));
            return Arrays.asList(out.split("\0"));
        }

        Path runVmScript() throws IOException {
            VmSpec vm = reader.readVm(pom.vm);
            Path store = Files.createDirectories(dir.resolve("store"));
            Path kernel = Files.writeString(store.resolve("vmlinuz"), "k");
            Path initrd = Files.writeString(store.resolve("initrd.img"), "i");
            Path disk = Files.writeString(store.resolve("disk.qcow2"), "d");
            return RunVmScript.write(new RunVmScriptSpec(os().hostName(), kernel, initrd, disk,
                    String.join(" ", grub().commandLine()), vm, Optional.empty(), "qemu-system-x86_64", "qemu-img",
                    Optional.empty()), dir.resolve("target-vm"));
        }

        /** The value after {@code option} among the arguments QEMU got from run-vm.sh. */
        String qemuValueAfter(String option) throws Exception {
            FakeQemu qemu = new FakeQemu(dir.resolve("fake-qemu"));
            FakeQemu.Result result = qemu.run(runVmScript(), null, Map.of("VM_ACCEL", "tcg"));
            assertEquals(0, result.status(), result.output());
            List<String> args = qemu.qemuArguments();
            int at = args.indexOf(option);
            return at < 0 || at + 1 >= args.size() ? "no " + option + " in " + args : args.get(at + 1);
        }

        String dockerConfig() throws IOException {
            DockerSpec spec = reader.readDocker(pom.docker);
            Path tar = dir.resolve("docker.tar");
            FileTree tree = new FileTree();
            tree.add(FileEntry.file("etc/hostname", 0644, "demo\n"));
            new DockerImageWriter().write(List.of(Layer.of("system", tree)),
                    ContainerConfig.of(spec, Instant.ofEpochSecond(1), List.of("/sbin/init")), spec, tar);
            try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
                for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    if (entry.getName().endsWith(".json") && !entry.getName().equals("manifest.json")) {
                        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
            return fail("no image config in " + tar);
        }

        /** From {@code key} to the end of its value in the config's JSON. */
        String dockerConfigPart(String key) throws IOException {
            String json = dockerConfig();
            int start = json.indexOf(key);
            if (start < 0) {
                return "no " + key + " in " + json;
            }
            int end = key.equals("\"Env\"") ? json.indexOf("\"PATH=", start) : json.indexOf('}', start) + 1;
            return json.substring(start, end);
        }
    }

    private static String textOf(FileTree tree, String path) throws IOException {
        FileEntry entry = tree.get(path).orElseThrow(() -> new AssertionError("no " + path + " in the tree"));
        try (InputStream in = entry.content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "did not finish: " + command);
        String output = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), command + ": " + output);
        return output;
    }
}
