package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.os.ConfigurationReader;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.ProjectContext;
import dev.vmforge.os.pom.DistributionConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.os.pom.ServiceConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A small real system for engine-level tests: Debian bookworm, busybox and one service. */
public final class HelloSystem {
    private HelloSystem() {
    }

    public static OperatingSystemConfig config() {
        OperatingSystemConfig os = new OperatingSystemConfig();
        os.distribution = new DistributionConfig();
        os.distribution.mirror = "http://deb.debian.org/debian";
        os.distribution.suite = "bookworm";
        os.packages = List.of("busybox-static");
        ServiceConfig hello = new ServiceConfig();
        hello.name = "hello";
        hello.command = "echo HELLO; exec sleep 3600";
        os.services = List.of(hello);
        return os;
    }

    public static ConfigurationReader reader(Path projectDirectory) {
        return new ConfigurationReader(new ProjectContext(projectDirectory, "hello", "1.0", "hello-1.0", "pom"));
    }

    public static OperatingSystem operatingSystem(Path projectDirectory) {
        return reader(projectDirectory).readOperatingSystem(config());
    }

    /** The download and store cache the live tests and ITs share (so each package is fetched once per machine). */
    public static Path sharedCache() {
        return Path.of(System.getProperty("vm.cacheDirectory",
                System.getProperty("user.home") + "/.cache/vm-maven-plugin"));
    }

    public static BuildContext context(Path projectDirectory, Path cacheDirectory) {
        return new BuildContext(projectDirectory, projectDirectory.resolve("target"), "hello-1.0", cacheDirectory,
                false, 1, Optional.empty(), Duration.ofMinutes(10), Duration.ofMinutes(5), "auto", false, Optional.empty(), BuildLog.console());
    }
}
