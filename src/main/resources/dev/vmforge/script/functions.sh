die() { printf 'run-vm.sh: %s\n' "$*" >&2; exit 1; }
warn() { printf 'run-vm.sh: %s\n' "$*" >&2; }
# QEMU option lists (key=value,...): a comma inside a value is written as two
qemu_value() { printf '%s\n' "$1" | sed 's/,/,,/g'; }

# Is something listening on TCP port $1? 0: yes, 1: no, 2: cannot tell.
# Linux: /proc/net/tcp and tcp6 (state 0A is LISTEN; the port is the hex after the last ':').
port_listening() {
    if [ -r /proc/net/tcp ]; then
        hex=$(printf '%04X' "$1")
        for table in /proc/net/tcp /proc/net/tcp6; do
            [ -r "$table" ] || continue
            while read -r _ local _ state _; do
                if [ "$state" = 0A ] && [ "${local##*:}" = "$hex" ]; then
                    return 0
                fi
            done <"$table"
        done
        return 1
    fi
    if command -v lsof >/dev/null 2>&1; then
        if lsof -nP -iTCP:"$1" -sTCP:LISTEN >/dev/null 2>&1; then return 0; fi
        return 1
    fi
    return 2
}

# Fails, naming the port, when a host port to forward is taken: QEMU's own message would be less clear.
check_ports_free() {
    for port in "$@"; do
        status=0
        port_listening "$port" || status=$?
        if [ "$status" -eq 0 ]; then
            die "host port $port is already in use, so it cannot be forwarded to the guest (<vm><portForwardings>): stop the program listening on it, or forward another host port"
        fi
    done
}


# A TCP port nothing listens on, for the forwarding number $1 whose host port is 0: the first free one from a
# start that differs between runs and forwardings, in the dynamic range (49152-65535).
free_port() {
    candidate=$((49152 + ($$ * 7 + $1 * 131) % 16384))
    tries=0
    while [ "$tries" -lt 200 ]; do
        status=0
        port_listening "$candidate" || status=$?
        if [ "$status" -ne 0 ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
        candidate=$((candidate + 1))
        [ "$candidate" -le 65535 ] || candidate=49152
        tries=$((tries + 1))
    done
    die "no free TCP port found for a forwarding with host port 0 (<vm><portForwardings>)"
}
