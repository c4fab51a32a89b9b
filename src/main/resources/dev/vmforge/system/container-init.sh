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

@STARTS@
status=0
for pid in $pids; do
    wait "$pid"
    code=$?
    [ "$status" -eq 0 ] && status=$code
done
exit "$status"
