# Shared by build-image.sh and build-iso.sh (inserted where they name STEP_FUNCTIONS). Each step prints
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
# copy_grub_platform PLATFORM: the files grub-install copies to $TREE/boot/grub/PLATFORM (modules and their lists),
# which the core image loads from /boot/grub
copy_grub_platform() {
    $BB mkdir -p "$TREE/boot/grub/$1"
    for f in "$GRUB_LIB/$1"/*.mod "$GRUB_LIB/$1"/*.lst; do
        $BB cp "$f" "$TREE/boot/grub/$1/"
    done
}
