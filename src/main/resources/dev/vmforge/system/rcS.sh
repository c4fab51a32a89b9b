#!/bin/busybox sh
# vm-maven-plugin system start (busybox init sysinit)
B=/bin/busybox
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
NETWORK=@NETWORK@                  # dhcp or none
APPLICATION_MARKER=@MARKER@        # the first entry of the application partition's tar
FW_CFG_SHARES=@FW_CFG_SHARES@      # QEMU fw_cfg file with the share list, when booted through GRUB
mounted() { $B grep -q " $1 " /proc/mounts; }

$B mount -t proc proc /proc 2>/dev/null
mounted /sys || $B mount -t sysfs sysfs /sys
mounted /dev || $B mount -t devtmpfs devtmpfs /dev
$B mkdir -p /dev/pts /dev/shm
mounted /dev/pts || $B mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mounted /dev/shm || $B mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
$B mount -o remount,rw / || echo "vmforge: cannot remount / read-write"
# The application partition: the application's files as a tar the host wrote (a code change rebuilds no
# system image), unpacked at each boot when it starts with the marker entry (a run-vm disk, whose application
# comes over 9p, has none). The image's layout (dev.vmforge.image.PartitionLayout) puts it directly after the
# root partition on the same disk: its number is the root's plus one.
# A volatile root is an overlay: its medium is mounted read-only at /media/root-ro.
rootdev=$($B awk '($2 == "/" || $2 == "/media/root-ro") && $1 ~ "^/dev/" { print $1 }' /proc/mounts | $B tail -n 1)
number=${rootdev##*[!0-9]}
if [ -n "$number" ]; then
    appdev=${rootdev%$number}$((number + 1))
    if [ -b "$appdev" ] && [ "$($B head -c ${#APPLICATION_MARKER} "$appdev" 2>/dev/null)" = "$APPLICATION_MARKER" ]; then
        $B tar -x -f "$appdev" -C / || echo "vmforge: cannot unpack the application from $appdev"
    fi
fi
mounted /run || $B mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mounted /tmp || $B mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
$B mkdir -p /run/vmforge /var/log
# links for the applets no package provides (never replaces a file)
$B --install -s 2>/dev/null
[ -s /etc/hostname ] && $B hostname -F /etc/hostname

# drivers: no udev loads them here; the list was computed at build time from the modules' deps
kernel=$($B uname -r)
if [ -f /etc/vmforge/modules ]; then
    while read -r module; do
        [ -n "$module" ] && $B insmod "/lib/modules/$kernel/$module" 2>/dev/null
    done </etc/vmforge/modules
fi

# the ACPI power button (QEMU's system_powerdown, which vm:stop sends) shuts the system down cleanly
[ -e /dev/input/event0 ] && $B acpid -l /var/log/acpid.log

$B ip link set lo up
if [ "$NETWORK" = dhcp ]; then
    # DHCP on the first Ethernet interface (QEMU's user network answers)
    iface=
    tries=50
    while [ -z "$iface" ] && [ $tries -gt 0 ]; do
        for dev in /sys/class/net/*; do
            [ -e "$dev/device" ] && { iface=${dev##*/}; break; }
        done
        [ -n "$iface" ] || { $B usleep 100000; tries=$((tries - 1)); }
    done
    if [ -n "$iface" ]; then
        $B ip link set "$iface" up
        $B udhcpc -b -t 5 -T 2 -i "$iface" -s /usr/lib/vmforge/udhcpc-script \
            || echo "vmforge: DHCP on $iface failed"
    else
        echo "vmforge: no network interface found (is virtio_net available?)"
    fi
fi
# 9p shares: vmforge.share=TAG:/target[:ro], on the kernel command line or, when the run-vm script
# boots through the bootloader (<fullBoot>), in a QEMU fw_cfg file (module qemu_fw_cfg). Split at blanks
# without pathname expansion (set -f), so a target such as /srv/[ab]* arrives as written.
set -f
for arg in $($B cat /proc/cmdline) $($B cat /sys/firmware/qemu_fw_cfg/by_name/$FW_CFG_SHARES/raw 2>/dev/null); do
    case "$arg" in
        vmforge.share=*)
            spec=${arg#vmforge.share=}
            tag=${spec%%:*}
            target=${spec#*:}
            mode=rw
            case "$target" in
                *:ro) target=${target%:ro}; mode=ro ;;
                *:rw) target=${target%:rw} ;;
            esac
            $B mkdir -p "$target"
            $B mount -t 9p -o "trans=virtio,version=9p2000.L,msize=512000,$mode" "$tag" "$target" \
                || echo "vmforge: cannot mount share $tag on $target (does the kernel have 9p? linux-image-cloud-amd64 has not)"
            ;;
    esac
done
set +f

echo "vmforge: system ready"
