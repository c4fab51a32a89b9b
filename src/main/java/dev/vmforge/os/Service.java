package dev.vmforge.os;

import java.util.Map;
import java.util.TreeMap;

/**
 * A supervised process started at boot (VM) or by the container's init.
 *
 * @param command a shell command line, run by {@code /bin/sh -c}
 */
public record Service(String name, String command, String user, String workingDirectory,
                      Map<String, String> environment, Restart restart) {

    public Service {
        environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
    }

    public enum Restart { ALWAYS, ON_FAILURE, NEVER }
}
