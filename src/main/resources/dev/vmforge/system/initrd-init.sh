#!/bin/busybox sh
# vm-maven-plugin system initrd: load the disk drivers, mount the root file system, switch to it.
B=/bin/busybox
KERNEL_VERSION=@KERNEL_VERSION@
$B mount -t proc proc /proc
$B mount -t sysfs sysfs /sys
$B mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1

fail() {
    echo "vmforge initrd: $*"
    echo "vmforge initrd: block devices: $($B ls /dev | $B grep -E '^(vd|sd|hd|xvd|nvme)' | $B tr '\n' ' ')"
    echo "vmforge initrd: kernel command line: $($B cat /proc/cmdline)"
    if [ "$rescue" = shell ]; then
        echo "vmforge initrd: starting a rescue shell (exit to power off)"
        $B setsid -c $B sh
    else
        echo "vmforge initrd: powering off (add vmforge.rescue=shell to the kernel command line for a shell)"
    fi
    $B sync
    $B poweroff -f
}

while read -r module; do
    [ -n "$module" ] || continue
    $B insmod "/lib/modules/$KERNEL_VERSION/$module" || echo "vmforge initrd: could not load $module"
done </lib/modules/load-order

root=; fstype=ext4; flags=; mode=ro; init=/sbin/init; rescue=; wait=10; volatile=
set -f # the kernel arguments are words, not file name patterns
for arg in $($B cat /proc/cmdline); do
    case "$arg" in
        root=*) root="${arg#root=}" ;;
        rootfstype=*) fstype="${arg#rootfstype=}" ;;
        rootflags=*) flags="${arg#rootflags=}" ;;
        rootwait=*) wait="${arg#rootwait=}" ;;
        ro) mode=ro ;;
        rw) mode=rw ;;
        init=*) init="${arg#init=}" ;;
        vmforge.rescue=*) rescue="${arg#vmforge.rescue=}" ;;
        vmforge.root=volatile) volatile=yes ;;
    esac
done
set +f
[ -n "$root" ] || fail "no root= on the kernel command line (expected root=UUID=... or root=/dev/vda1)"

# wait for the disk: drivers probe devices asynchronously
device=
tries=$((wait * 10))
while [ $tries -gt 0 ]; do
    case "$root" in
        UUID=*|LABEL=*) device=$($B findfs "$root" 2>/dev/null) ;;
        *) [ -b "$root" ] && device="$root" ;;
    esac
    [ -n "$device" ] && break
    $B usleep 100000
    tries=$((tries - 1))
done
[ -n "$device" ] || fail "root device $root did not appear within $wait seconds"

options=$mode
[ -n "$volatile" ] && options=ro
[ -n "$flags" ] && options="$options,$flags"
if [ -z "$volatile" ]; then
    $B mount -t "$fstype" -o "$options" "$device" /newroot \
        || fail "cannot mount $device ($root) as $fstype with options $options"
else
    # volatile root: the medium read-only below, a tmpfs above; every write lands in memory and is gone at power-off
    $B mkdir -p /lower /upper
    $B mount -t "$fstype" -o "$options" "$device" /lower \
        || fail "cannot mount $device ($root) as $fstype with options $options"
    $B mount -t tmpfs -o mode=0755 tmpfs /upper
    $B mkdir -p /upper/data /upper/work
    $B mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work overlay /newroot \
        || fail "cannot mount an overlay over $device (does the kernel have overlay?)"
    # the read-only root stays visible (the system's rcS finds the application partition beside it)
    $B mkdir -p /newroot/media/root-ro
    $B mount --move /lower /newroot/media/root-ro
fi
[ -e "/newroot$init" ] || [ -L "/newroot$init" ] || fail "the root file system on $device has no $init"

$B mount --move /dev /newroot/dev 2>/dev/null || $B umount /dev
$B umount /sys
$B umount /proc
exec $B switch_root /newroot "$init"
