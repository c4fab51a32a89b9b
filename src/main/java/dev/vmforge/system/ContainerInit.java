package dev.vmforge.system;

import dev.vmforge.os.Service;

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
        StringBuilder starts = new StringBuilder();
        for (Service s : services) {
            starts.append("start ").append(s.name()).append(' ').append(ServiceScripts.user(s)).append(' ')
                    .append(ServiceScripts.restart(s)).append('\n');
        }
        if (services.isEmpty()) {
            starts.append("echo 'vmforge: the system declares no services; nothing to run'\n");
        }
        return """
                #!/bin/sh
                # vm-maven-plugin container entrypoint: runs the services, stops them on SIGTERM/SIGINT
                B=${VMFORGE_BUSYBOX:-/bin/busybox}
                R=${VMFORGE_ROOT:-}
                PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                export PATH
                [ -s "$R/etc/hostname" ] && $B hostname -F "$R/etc/hostname" 2>/dev/null
                pids=

                # each supervisor leads its own process group, so one signal reaches the service and its children
                start() {
                    $B setsid $B sh "$R/usr/lib/vmforge/run-service" "$@" &
                    pids="$pids $!"
                }

                stop() {
                    trap '' TERM INT
                    for pid in $pids; do
                        kill -TERM -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
                    done
                    wait
                    exit 0
                }
                trap stop TERM INT

                STARTS
                status=0
                for pid in $pids; do
                    wait "$pid"
                    code=$?
                    [ "$status" -eq 0 ] && status=$code
                done
                exit "$status"
                """.replace("STARTS\n", starts.toString());
    }
}
