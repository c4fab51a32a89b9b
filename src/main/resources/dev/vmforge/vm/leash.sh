# The leash: runs a command (QEMU) so that it ends when the JVM that started it ends, however that JVM ends.
# Standard input is a pipe whose only writer is that JVM; the kernel closes the write end when the JVM exits,
# crashes or is killed with SIGKILL, and reading then gives end-of-file. (Linux's PR_SET_PDEATHSIG is no
# substitute: it fires when the parent *thread* ends, and the Maven thread that starts a VM for vm:start ends
# long before the VM should.)
#
# Usage: sh -c "$(cat leash.sh)" leash COMMAND [ARGUMENT...]
# Environment:
#   LEASH_INPUT    the command's standard input (default /dev/null; /dev/tty for an attached console)
#   LEASH_GRACE    seconds between SIGTERM and SIGKILL once the leash drops (default 5)
# Exit status: the command's.

# the leash moves to fd 3: an asynchronous list's standard input is /dev/null in a non-interactive shell
exec 3<&0
"$@" <"${LEASH_INPUT:-/dev/null}" 3<&- &
child=$!
(
    # returns at end-of-file: the JVM writes nothing, so only when the JVM closed the pipe or is gone
    while read -r _ <&3; do :; done
    kill -TERM "$child" 2>/dev/null || exit 0
    grace=${LEASH_GRACE:-5}
    while [ "$grace" -gt 0 ] && kill -0 "$child" 2>/dev/null; do
        sleep 1
        grace=$((grace - 1))
    done
    kill -KILL "$child" 2>/dev/null
) </dev/null >/dev/null 2>&1 &
watcher=$!
exec 3<&-
# a signal to this shell ends the command first (Ctrl-C reaches the whole process group anyway)
trap 'kill -TERM "$child" 2>/dev/null' HUP INT TERM
while :; do
    status=0
    wait "$child" || status=$?
    # a trapped signal makes wait return early, above 128: wait again while the command still runs
    if [ "$status" -gt 128 ] && kill -0 "$child" 2>/dev/null; then
        continue
    fi
    break
done
kill "$watcher" 2>/dev/null
exit "$status"
