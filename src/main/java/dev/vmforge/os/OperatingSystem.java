package dev.vmforge.os;

import java.util.List;
import java.util.Optional;

/**
 * The validated {@code <operatingSystem>} of the POM: what the built system contains.
 * Built by {@link ConfigurationReader}; every field already has its documented default.
 */
public record OperatingSystem(
        String hostName,
        Distribution distribution,
        String kernel,
        List<String> kernelArguments,
        Base base,
        List<String> packages,
        boolean installRecommends,
        List<User> users,
        List<FileSpec> files,
        Optional<Application> application,
        List<Service> services,
        Network network,
        String timezone) {

    public OperatingSystem {
        kernelArguments = List.copyOf(kernelArguments);
        packages = List.copyOf(packages);
        users = List.copyOf(users);
        files = List.copyOf(files);
        services = List.copyOf(services);
    }

    /** Which base set of packages the system gets besides the requested ones. */
    public enum Base { AUTO, MINIMAL, ESSENTIAL, MINBASE }

    public enum Network { DHCP, NONE }
}
