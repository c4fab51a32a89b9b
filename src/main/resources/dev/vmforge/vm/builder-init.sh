#!/bin/busybox sh
# Builder VM init (dev.vmforge.vm.BuilderInit): run one build script, report its exit status, power off.
/bin/busybox mkdir -p /proc /sys /dev /tmp /xchg /mnt /usr/bin /usr/sbin /sbin
/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# build-step NAME: prints a phase marker the host turns into timings.
printf '#!/bin/sh\necho "BUILD-STEP $1 $(cut -d" " -f1 /proc/uptime)"\n' > /bin/build-step
chmod 755 /bin/build-step
build-step init
if [ -f /lib/modules/load-order ]; then
    while read -r module; do
        case "$module" in ''|'#'*) continue;; esac
        [ -f "/lib/modules/$module" ] || module="$module.ko"
        insmod "/lib/modules/$module" 2>/dev/null || echo "BUILDER: could not load module $module (skipped)"
    done < /lib/modules/load-order
fi
build-step modules
script=/xchg/build.sh
xchg_out=
for argument in $(cat /proc/cmdline); do
    case "$argument" in
        builder.script=*) script="${argument#builder.script=}";;
        builder.xchg-out=*) xchg_out="${argument#builder.xchg-out=}";;
    esac
done
# Check the way back before the work: without it the work is lost anyway.
i=0
while [ -n "$xchg_out" ] && [ ! -b "$xchg_out" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
if [ -z "$xchg_out" ] || [ ! -b "$xchg_out" ]; then
    echo "BUILDER-ERROR: the exchange disk '$xchg_out' (builder.xchg-out=) did not appear: are virtio_pci and virtio_blk in the kernel or in /lib/modules/load-order?"
    poweroff -f
fi
cd /xchg || poweroff -f
build-step script-start
# The exit status goes through a file: a pipeline's status is tee's, not the script's.
{ sh "$script" 2>&1; echo $? > /tmp/exit-status; } | tee /xchg/build.log
status=$(cat /tmp/exit-status 2>/dev/null || echo 255)
build-step script-end
cd /
echo "$status" > /.exit-status
if tar -cf "$xchg_out" xchg .exit-status && sync; then
    build-step xchg-out
    echo "BUILDER: done, exit status $status"
else
    echo "BUILDER-ERROR: could not write /xchg to the exchange disk $xchg_out (more than the disk holds?)"
fi
poweroff -f
