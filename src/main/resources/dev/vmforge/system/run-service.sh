#!/bin/sh
# vm-maven-plugin service supervisor: run-service NAME USER always|on-failure|never
B=${VMFORGE_BUSYBOX:-/bin/busybox}
R=${VMFORGE_ROOT:-}
name=$1 user=$2 restart=$3
run=$R/etc/vmforge/services/$name.run
log=$R/var/log/$name.log
status_file=$R/run/vmforge/$name.status
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
$B mkdir -p "$R/var/log" "$R/run/vmforge"

run_once() {
    if [ "$user" = root ]; then
        $B sh "$run"
    else
        $B su -s /bin/sh "$user" -c "exec /bin/sh '$run'"
    fi
}

delay=1
while :; do
    started=$($B date +%s)
    $B rm -f "$status_file"
    { run_once; echo $? >"$status_file"; } 2>&1 | $B tee -a "$log"
    status=$($B cat "$status_file" 2>/dev/null)
    status=${status:-1}
    case "$restart" in
        never) exit "$status" ;;
        on-failure) [ "$status" -eq 0 ] && exit 0 ;;
    esac
    [ $(($($B date +%s) - started)) -ge 30 ] && delay=1
    echo "vmforge: service $name exited with status $status; restarting in $delay s" | $B tee -a "$log"
    $B sleep "$delay"
    delay=$((delay * 2))
    [ "$delay" -gt 30 ] && delay=30
done
