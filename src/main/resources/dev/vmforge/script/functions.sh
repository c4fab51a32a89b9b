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

