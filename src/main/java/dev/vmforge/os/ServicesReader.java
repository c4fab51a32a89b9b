package dev.vmforge.os;

import dev.vmforge.os.pom.ServiceConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code <services>}: supervised processes. A service runs as root, a declared user, or one of Debian's
 * base-passwd accounts ({@code nobody}, {@code daemon}, ...); accounts that packages create in their
 * maintainer scripts are not known before configuration, so they are refused here.
 */
final class ServicesReader {
    private static final String ELEMENT = "operatingSystem/services/service";

    private final Set<String> knownAccounts;

    ServicesReader(List<User> users) {
        Set<String> accounts = new TreeSet<>(Names.SYSTEM_ACCOUNTS);
        users.forEach(user -> accounts.add(user.name()));
        this.knownAccounts = accounts;
    }

    List<Service> read(List<ServiceConfig> configs) {
        List<ServiceConfig> given = configs == null ? List.of() : configs;
        List<Service> services = new ArrayList<>();
        FirstUse<String> names = new FirstUse<>("service");
        for (int i = 0; i < given.size(); i++) {
            ServiceConfig c = given.get(i) == null ? new ServiceConfig() : given.get(i);
            String element = Values.item(ELEMENT, i);
            String name = Names.serviceName(element + "/name", c.name);
            names.claim(element + "/name", name, i, "name '" + name + "'", "give each service a distinct name");
            String command = Values.singleLine(element + "/command", Values.required(element + "/command", c.command,
                    "write the command line to run, e.g. /bin/busybox httpd -f -p 80"));
            String user = user(element + "/user", c.user);
            String workingDirectory = Values.absolutePath(element + "/workingDirectory", c.workingDirectory, "/");
            Map<String, String> environment = Values.environment(element + "/environment", c.environment);
            Service.Restart restart = Values.choice(element + "/restart", c.restart, Service.Restart.ALWAYS);
            services.add(new Service(name, command, user, workingDirectory, environment, restart));
        }
        return services;
    }

    private String user(String element, String text) {
        String user = Values.given(text);
        if (user == null) {
            return "root";
        }
        if (!knownAccounts.contains(user)) {
            throw new InvalidConfigurationException(element, "'" + user + "' is not a known account; declare it in"
                    + " <users>, or use one of the accounts the system has: " + String.join(", ", knownAccounts));
        }
        return user;
    }
}
