package dev.vmforge.app;

import dev.vmforge.BuildException;
import dev.vmforge.ShellQuoting;
import dev.vmforge.fs.Content;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.Paths;
import dev.vmforge.os.Application;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.Service;
import dev.vmforge.os.User;
import dev.vmforge.store.Inputs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * {@code <application>}: the project's jar and its runtime dependencies as a tree of their own, so that a
 * code change rebuilds only this tree (the Docker image's last layer; the disk image's last partition),
 * never the configured system.
 *
 * <pre>
 * DIRECTORY/NAME.jar        the project's artifact
 * DIRECTORY/lib/*.jar       its runtime-scope dependencies
 * DIRECTORY/bin/NAME        #!/bin/sh launcher: exec java JVM-ARGUMENTS -cp CLASSPATH MAIN-CLASS "$@"
 * </pre>
 *
 * @param jar          the project's artifact
 * @param dependencies its runtime-scope dependency jars, in classpath order (distinct file names)
 * @param mainClass    {@code <mainClass>}, else the jar manifest's
 * @param mtime        every file's time
 */
public record ApplicationTree(Application app, Path jar, List<Path> dependencies, String mainClass, long mtime) {
    /** uid and gid of the account made for the default service when none is declared. */
    static final int DEFAULT_UID = 1000;

    public ApplicationTree {
        dependencies = List.copyOf(dependencies);
    }

    /** Checks the jars (a missing Main-Class, two dependencies of one file name) and resolves the main class. */
    public static ApplicationTree of(Application app, Path jar, List<Path> dependencies, long mtime) {
        Map<String, Path> names = new HashMap<>();
        for (Path dependency : dependencies) {
            String name = dependency.getFileName().toString();
            Path other = names.putIfAbsent(name, dependency);
            if (other != null) {
                throw new BuildException("two runtime dependencies have the same file name " + name + " (" + other
                        + " and " + dependency + "); they cannot both go into " + app.directory() + "/lib");
            }
        }
        return new ApplicationTree(app, jar, dependencies, mainClass(app, jar), mtime);
    }

    /** Everything the tree is made of: the configuration, the main class, the time and every jar's bytes. */
    public void declare(Inputs inputs) {
        inputs.text("name", app.name()).text("directory", app.directory()).text("mainClass", mainClass)
                .texts("jvmArguments", app.jvmArguments()).number("time", mtime).file("jar", jar)
                .list("dependencies", dependencies, (in, d) -> in.text("name", d.getFileName().toString())
                        .file("jar", d));
    }

    /** The files, owned by root: the jar, the dependencies under {@code lib/}, the launcher under {@code bin/}. */
    public FileTree tree() {
        String dir = Paths.normalize(app.directory());
        FileTree tree = new FileTree();
        tree.add(dir(dir, mtime));
        tree.add(dir(dir + "/bin", mtime));
        tree.add(dir(dir + "/lib", mtime));
        String jarPath = dir + "/" + app.name() + ".jar";
        tree.add(file(jarPath, 0644, jar, mtime));
        List<String> classpath = new ArrayList<>(List.of("/" + jarPath));
        for (Path dependency : dependencies) {
            String name = dependency.getFileName().toString();
            tree.add(file(dir + "/lib/" + name, 0644, dependency, mtime));
            classpath.add("/" + dir + "/lib/" + name);
        }
        tree.add(FileEntry.file(launcher().substring(1), 0755, Launcher.text(app.jvmArguments(), classpath, mainClass))
                .withMtime(mtime));
        return tree;
    }

    /** Absolute path of {@code bin/NAME} in the system. */
    public String launcher() {
        return launcher(app);
    }

    static String launcher(Application app) {
        return "/" + Paths.normalize(app.directory()) + "/bin/" + app.name();
    }

    /** {@code <mainClass>}, else the jar manifest's Main-Class, else a clear error. */
    public static String mainClass(Application app, Path jar) {
        if (app.mainClass().isPresent()) {
            return app.mainClass().get();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String main = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (main != null && !main.isBlank()) {
                if (!Application.isClassName(main.trim())) {
                    throw new InvalidConfigurationException("operatingSystem/application/mainClass", "the jar "
                            + jar.getFileName() + " names '" + main.trim() + "' as its manifest's Main-Class, which is"
                            + " not a Java class name; fix maven-jar-plugin's <archive><manifest><mainClass>, or set"
                            + " <application><mainClass>com.example.Main</mainClass>");
                }
                return main.trim();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the project's jar " + jar, e);
        }
        throw new InvalidConfigurationException("operatingSystem/application/mainClass", "the jar " + jar.getFileName()
                + " has no Main-Class in its manifest; set <application><mainClass>com.example.Main</mainClass>, or"
                + " configure maven-jar-plugin's <archive><manifest><mainClass>");
    }

    /**
     * The system with the application's default service: unless a service is named after the application or
     * runs its launcher, one named after it runs the launcher in its directory as an unprivileged user (the
     * declared user of that name, else a new one, uid {@value #DEFAULT_UID} or the next free one).
     */
    public static OperatingSystem withDefaultService(OperatingSystem os) {
        if (os.application().isEmpty()) {
            return os;
        }
        Application app = os.application().get();
        String launcher = launcher(app);
        boolean named = os.services().stream().anyMatch(s -> s.name().equals(app.name())
                || (s.command() != null && s.command().contains(launcher)));
        if (named) {
            return os;
        }
        String userName = userName(app.name());
        List<User> users = new ArrayList<>(os.users());
        if (users.stream().noneMatch(u -> u.name().equals(userName))) {
            int uid = DEFAULT_UID;
            while (uidTaken(users, uid)) {
                uid++;
            }
            users.add(new User(userName, uid, uid, "/" + Paths.normalize(app.directory()), "/bin/sh", List.of()));
        }
        List<Service> services = new ArrayList<>(os.services());
        services.add(new Service(app.name(), ShellQuoting.quote(launcher), userName, "/" + Paths.normalize(app.directory()), Map.of(),
                Service.Restart.ALWAYS));
        return new OperatingSystem(os.hostName(), os.distribution(), os.kernel(), os.kernelArguments(), os.base(),
                os.packages(), os.installRecommends(), users, os.files(), os.application(), services, os.network(),
                os.timezone());
    }

    /** The artifactId as a login name: lower case, other characters than letters, digits, '_' and '-' as '-'. */
    static String userName(String name) {
        String user = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        if (user.isEmpty() || !Character.isLetter(user.charAt(0)) && user.charAt(0) != '_') {
            user = "app-" + user;
        }
        return user.length() > 32 ? user.substring(0, 32) : user;
    }

    private static boolean uidTaken(List<User> users, int uid) {
        return users.stream().anyMatch(u -> u.uid() == uid || u.gid() == uid);
    }

    /**
     * Fails unless the system has a java command: {@code usr/bin/java} (the alternatives link a JRE's
     * postinst makes) or {@code usr/lib/jvm/* /bin/java}.
     */
    public static void requireJava(FileTree system) {
        Optional<FileEntry> java = system.get("usr/bin/java").isPresent() ? resolveQuietly(system, "usr/bin/java")
                : Optional.empty();
        boolean jvm = system.entries().stream().anyMatch(e -> e.path().startsWith("usr/lib/jvm/")
                && e.path().endsWith("/bin/java") && e.type() == FileEntry.Type.FILE);
        if (java.isEmpty() && !jvm) {
            throw new InvalidConfigurationException("operatingSystem/packages", "<application> runs java, but the"
                    + " system has no Java runtime: add <package>openjdk-17-jre-headless</package>");
        }
    }

    private static Optional<FileEntry> resolveQuietly(FileTree tree, String path) {
        try {
            return tree.resolve(path);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static FileEntry dir(String path, long mtime) {
        return FileEntry.directory(path, 0755).withMtime(mtime);
    }

    private static FileEntry file(String path, int mode, Path source, long mtime) {
        try {
            return FileEntry.file(path, mode, Content.ofFile(source)).withMtime(mtime);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
    }
}
