# Shared by build-image.sh and build-iso.sh (inserted where they name STEP_FUNCTIONS): each step prints
# BUILD-STEP NAME UPTIME for the host's timings; the EXIT trap names the step that failed.
STEP=start
step() { STEP=$1; echo "BUILD-STEP $1 $($BB cut -d' ' -f1 /proc/uptime)"; }
fail() { echo "BUILD-FAILED in step $STEP: $1"; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || echo "BUILD-FAILED in step $STEP (exit status $rc)"' EXIT
# wait_block DEVICE: the kernel probes the virtio disks asynchronously
wait_block() {
    i=0
    while [ ! -b "$1" ]; do
        i=$((i+1)); [ $i -le 100 ] || fail "$1 did not appear"
        $BB sleep 0.1
    done
}
