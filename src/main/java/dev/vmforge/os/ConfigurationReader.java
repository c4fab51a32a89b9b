package dev.vmforge.os;

import dev.vmforge.os.pom.ApplicationConfig;
import dev.vmforge.os.pom.DockerConfig;
import dev.vmforge.os.pom.ImageConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.os.pom.StartConfig;
import dev.vmforge.os.pom.VmConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the POM's configuration beans into the validated, immutable model, filling in the documented
 * defaults. Every invalid value fails with one {@link InvalidConfigurationException} naming the element
 * (e.g. {@code operatingSystem/users/user[2]/uid}) and how to fix it. A {@code null} block means
 * "all defaults".
 */
public final class ConfigurationReader {
    private static final String OS = "operatingSystem";
    private static final String DEFAULT_KERNEL = "linux-image-cloud-amd64";
    private static final String DEFAULT_APPLICATION_DIRECTORY = "/opt/app";

    private final ProjectContext project;

    public ConfigurationReader(ProjectContext project) {
        this.project = Objects.requireNonNull(project, "project");
    }

    public OperatingSystem readOperatingSystem(OperatingSystemConfig config) {
        OperatingSystemConfig c = config == null ? new OperatingSystemConfig() : config;
        String hostName = Values.given(c.hostName) == null
                ? Names.hostNameFrom(project.artifactId())
                : Names.hostName(OS + "/hostName", c.hostName.strip());
        Distribution distribution = new DistributionReader(project.baseDirectory()).read(c.distribution);
        String kernel = Values.given(c.kernel) == null ? DEFAULT_KERNEL : Names.packageName(OS + "/kernel", c.kernel);
        List<User> users = new UsersReader().read(c.users);
        return new OperatingSystem(
                hostName,
                distribution,
                kernel,
                kernelArguments(c.kernelArguments),
                Values.choice(OS + "/base", c.base, OperatingSystem.Base.AUTO),
                packages(c.packages),
                Values.flag(c.installRecommends, false),
                users,
                new FilesReader(project.baseDirectory()).read(c.files),
                application(c.application, project.artifactId()),
                new ServicesReader(users).read(c.services),
                Values.choice(OS + "/network", c.network, OperatingSystem.Network.DHCP),
                Names.timezone(OS + "/timezone", c.timezone));
    }

    public ImageSpec readImage(ImageConfig config) {
        return new ImageReader().read(config);
    }

    public DockerSpec readDocker(DockerConfig config) {
        return new DockerReader(project).read(config);
    }

    /** The {@code <docker>} settings of a push: more tags, insecure registries allowed. */
    public DockerPushSpec readDockerPush(DockerConfig config) {
        return new DockerReader(project).readPush(config);
    }

    public VmSpec readVm(VmConfig config) {
        return new VmReader(project.baseDirectory()).read(config);
    }

    /** {@code <start>}, checked against the {@code <vm>} it runs with (the ports it waits on must be forwarded). */
    public StartSpec readStart(StartConfig config, VmSpec vm) {
        return new StartReader().read(config, vm);
    }

    /**
     * A size in bytes: {@code 512M}, {@code 2G}, {@code 1024K}, {@code 1T} (binary units, an optional
     * {@code iB} suffix) or plain bytes. ({@code guess} is handled by {@link #readImage}.)
     */
    public static long parseSize(String elementPath, String text) {
        return Values.size(elementPath, text);
    }

    /** Octal permission bits: {@code 0644}, {@code 644} or {@code 0o755}, at most {@code 07777}. */
    public static int parseMode(String element, String text) {
        return Values.mode(element, text);
    }

    /** Package names in order; a name listed twice is installed once. */
    private static List<String> packages(List<String> names) {
        List<String> given = names == null ? List.of() : names;
        List<String> packages = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String name = Names.packageName(Values.item(OS + "/packages/package", i), given.get(i));
            if (!packages.contains(name)) {
                packages.add(name);
            }
        }
        return packages;
    }

    /**
     * {@code <kernelArguments>}: each one word that reaches the kernel unchanged, whichever way the system boots
     * (GRUB's configuration quotes what GRUB's lexer would interpret: {@code | & ; < > # $ { }} and the like).
     */
    private static List<String> kernelArguments(List<String> arguments) {
        List<String> result = arguments(OS + "/kernelArguments/argument", arguments);
        for (int i = 0; i < result.size(); i++) {
            Values.kernelWord(Values.item(OS + "/kernelArguments/argument", i), result.get(i),
                    "write one argument per <argument>, without blanks, quotes or backslashes");
        }
        return result;
    }

    /** Command-line arguments (kernel, JVM): each given, each on one line. */
    private static List<String> arguments(String itemElement, List<String> arguments) {
        List<String> given = arguments == null ? List.of() : arguments;
        List<String> result = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String element = Values.item(itemElement, i);
            result.add(Values.singleLine(element, Values.required(element, given.get(i),
                    "write the argument, or remove the empty element")));
        }
        return result;
    }

    private static Optional<Application> application(ApplicationConfig c, String artifactId) {
        if (c == null) {
            return Optional.empty();
        }
        String element = OS + "/application";
        String mainClass = Values.given(c.mainClass);
        if (mainClass != null && !Application.isClassName(mainClass)) {
            throw new InvalidConfigurationException(element + "/mainClass", "'" + mainClass + "' is not a Java class"
                    + " name; write the fully qualified name such as com.example.Main, or omit it to use the jar"
                    + " manifest's Main-Class");
        }
        String directory = Values.absolutePath(element + "/directory", c.directory, DEFAULT_APPLICATION_DIRECTORY);
        // the directory is on the Java classpath (':'-separated) and, for run-vm.sh, a 9p share's target
        Values.without(element + "/directory", directory, ':', "which separates the Java classpath's entries;"
                + " choose a directory without it");
        Values.kernelWord(element + "/directory", directory, "choose a directory without them");
        return Optional.of(new Application(artifactId, directory,
                Optional.ofNullable(mainClass),
                arguments(element + "/jvmArguments/argument", c.jvmArguments)));
    }
}
