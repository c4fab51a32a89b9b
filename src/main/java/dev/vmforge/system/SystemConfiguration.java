package dev.vmforge.system;

import dev.vmforge.app.ApplicationTree;
import dev.vmforge.os.FileSpec;
import dev.vmforge.os.OperatingSystem;
import dev.vmforge.os.Service;
import dev.vmforge.os.User;
import dev.vmforge.store.Inputs;

import java.util.List;

/**
 * The part of {@code <operatingSystem>} that {@link SystemFiles} writes into the system: accounts, host name,
 * project files, services (the application's default one included), network and time zone. Packages, kernel and
 * kernel arguments are not here (other derivations read them), nor are the application's jars, main class and
 * JVM arguments: they are the application's, so changing them rebuilds no system.
 */
public record SystemConfiguration(String hostName, List<User> users, List<FileSpec> files, List<Service> services,
                                  OperatingSystem.Network network, String timezone) {
    public SystemConfiguration {
        users = List.copyOf(users);
        files = List.copyOf(files);
        services = List.copyOf(services);
    }

    /** The declared system with the application's default service and user, when it has an application. */
    public static SystemConfiguration of(OperatingSystem declared) {
        OperatingSystem os = ApplicationTree.withDefaultService(declared);
        return new SystemConfiguration(os.hostName(), os.users(), os.files(), os.services(), os.network(),
                os.timezone());
    }

    /** Every field, project files by their bytes. */
    public void declare(Inputs inputs) {
        inputs.text("hostName", hostName)
                .list("users", users, (in, u) -> in.text("name", u.name()).number("uid", u.uid())
                        .number("gid", u.gid()).text("home", u.home()).text("shell", u.shell())
                        .texts("groups", u.groups()))
                .list("files", files, (in, f) -> in.text("target", f.target()).number("mode", f.mode())
                        .number("uid", f.uid()).number("gid", f.gid()).file("source", f.source()))
                .list("services", services, (in, s) -> in.text("name", s.name()).text("command", s.command())
                        .text("user", s.user()).text("workingDirectory", s.workingDirectory())
                        .map("environment", s.environment()).choice("restart", s.restart()))
                .choice("network", network)
                .text("timezone", timezone);
    }
}
