package dev.vmforge.system;

import dev.vmforge.ShellQuoting;
import dev.vmforge.ShellTemplate;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.os.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files that run one service, shared by busybox init (VM) and the container init:
 * <ul>
 *   <li>{@code /etc/vmforge/services/NAME.run}: exports the environment, enters the working directory and
 *       execs {@code /bin/sh -c COMMAND}; it runs as the service's user;</li>
 *   <li>{@code /usr/lib/vmforge/run-service NAME USER RESTART}: the supervisor, as root: switches to the user
 *       ({@code busybox su}), copies output to stdout (the console) and {@code /var/log/NAME.log} while keeping
 *       the exit status (a pipe loses it, so it goes through a file), and restarts per policy with a back-off
 *       of 1, 2, 4 ... 30 s (back to 1 s after a run of 30 s or more).</li>
 * </ul>
 * Both scripts take two test hooks from the environment: {@code VMFORGE_ROOT} (prefix of every system path)
 * and {@code VMFORGE_BUSYBOX} (default {@code /bin/busybox}).
 */
final class ServiceScripts {
    static final String RUN_SERVICE = "usr/lib/vmforge/run-service";
    static final String SERVICES_DIR = "etc/vmforge/services";
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]*");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ServiceScripts() {
    }

    static void validate(Service service) {
        String where = "services/service[" + service.name() + "]";
        if (service.name() == null || !SERVICE_NAME.matcher(service.name()).matches()) {
            throw new InvalidConfigurationException("services/service/name", "'" + service.name()
                    + "' is not a valid service name: use letters, digits, '_', '.', '@' and '-'");
        }
        if (service.command() == null || service.command().isBlank()) {
            throw new InvalidConfigurationException(where + "/command", "the service has no command");
        }
        for (String key : service.environment().keySet()) {
            if (!VARIABLE.matcher(key).matches()) {
                throw new InvalidConfigurationException(where + "/environment", "'" + key
                        + "' is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
            }
        }
    }

    static String user(Service service) {
        return service.user() == null || service.user().isEmpty() ? "root" : service.user();
    }

    static String workingDirectory(Service service) {
        return service.workingDirectory() == null || service.workingDirectory().isEmpty() ? "/" : service.workingDirectory();
    }

    /** always, on-failure or never, as run-service expects it. */
    static String restart(Service service) {
        Service.Restart r = service.restart() == null ? Service.Restart.ALWAYS : service.restart();
        return r.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The arguments after run-service: safe to put unquoted in inittab (names are validated). */
    static String invocation(Service service) {
        return "/" + RUN_SERVICE + " " + service.name() + " " + user(service) + " " + restart(service);
    }

    static String runFile(Service service) {
        List<String> exports = new ArrayList<>();
        for (Map.Entry<String, String> e : service.environment().entrySet()) {
            exports.add("export " + e.getKey() + "=" + ShellQuoting.quote(e.getValue()));
        }
        String dir = workingDirectory(service);
        return ShellTemplate.load(ServiceScripts.class, "service.run.sh")
                .lines("EXPORTS", exports)
                .word("DIRECTORY", dir)
                .word("CANNOT_ENTER", "vmforge: service " + service.name() + ": cannot enter " + dir)
                .word("COMMAND", service.command())
                .render();
    }

    static String runService() {
        return ShellTemplate.load(ServiceScripts.class, "run-service.sh").render();
    }
}
