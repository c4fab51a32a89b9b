package dev.vmforge.system;

import dev.vmforge.ShellTemplate;
import dev.vmforge.os.Service;

import java.util.ArrayList;

import java.util.List;

/**
 * {@code /usr/lib/vmforge/container-init}: the Docker image's default entrypoint. It mounts nothing and
 * configures no network (the container runtime did), starts every service under run-service with its output
 * on stdout (unprefixed, as {@code docker logs} users expect; it is also in {@code /var/log/NAME.log}),
 * and honours restart policies. On SIGTERM or SIGINT it stops all services and exits 0. When every service
 * has ended by itself, it exits with the status of the first service (in declaration order) that failed, else 0.
 */
final class ContainerInit {
    static final String PATH = "usr/lib/vmforge/container-init";

    private ContainerInit() {
    }

    static String script(List<Service> services) {
        List<String> starts = new ArrayList<>();
        for (Service s : services) {
            starts.add("start " + s.name() + " " + ServiceScripts.user(s) + " " + ServiceScripts.restart(s));
        }
        if (services.isEmpty()) {
            starts.add("echo 'vmforge: the system declares no services; nothing to run'");
        }
        return ShellTemplate.load(ContainerInit.class, "container-init.sh").lines("STARTS", starts).render();
    }
}
