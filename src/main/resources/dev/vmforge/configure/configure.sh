#!/bin/sh
# Builder VM step 'configure' (vm-maven-plugin, dev.vmforge.configure.ConfigureScript): debootstrap's second
# stage. Unpacks the root onto a tmpfs, forbids service start-up, runs the preinsts in dependency order (dpkg
# --configure does not run them), then dpkg --configure -a in a chroot, and writes the configured root as a tar
# onto the output disk. Exits 0 once the root is unpacked: what happened is in $RESULT, dpkg's and the scripts'
# output in $OUT, so the host names the failing package and shows its own output.
# Reproducible: the scripts see SOURCE_DATE_EPOCH (shadow's password dates, Python's .pyc, ...); dpkg's logs (the
# guest's times) go to the host and ldconfig's aux-cache (inode numbers and times) is dropped. The host rewrites the
# tar with fixed times, and Java keystores with fixed entry dates (dev.vmforge.configure.JavaKeystores).
# Disks: /dev/vda the output disk (the tar is written onto it), /dev/vdb the unconfigured root as a tar.
umask 022
ROOT=/mnt/root
OUT=/xchg/@OUTPUT_FILE@
RESULT=/xchg/@RESULT_FILE@
TMPFS_MIB=@TMPFS_MIB@
TIMESTAMP=@TIMESTAMP@
mkdir -p $ROOT
mount -t tmpfs -o size=${TMPFS_MIB}m,mode=0755 tmpfs $ROOT || exit 1
tar -xf /dev/vdb -C $ROOT || exit 1
build-step unpacked
mkdir -p $ROOT/proc $ROOT/sys $ROOT/dev $ROOT/tmp $ROOT/usr/sbin
chmod 1777 $ROOT/tmp
mount -t proc proc $ROOT/proc
mount -t sysfs sysfs $ROOT/sys
mount -o bind /dev $ROOT/dev
# no service may start while the system is being configured (invoke-rc.d asks this)
printf '#!/bin/sh\nexit 101\n' > $ROOT/usr/sbin/policy-rc.d
chmod 755 $ROOT/usr/sbin/policy-rc.d
export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C LANGUAGE=C LANG=C
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root SOURCE_DATE_EPOCH=$TIMESTAMP
result=ok
: > $OUT

# logged COMMAND...: runs it with its output on the console (the host shows progress from it) and in $OUT;
# its exit status goes through a file, as a pipeline's status is tee's
logged() {
    { "$@"; echo $? > /tmp/logged-status; } 2>&1 | tee -a $OUT
    return "$(cat /tmp/logged-status)"
}

# run_preinst INFO-NAME PACKAGE ARCHITECTURE
run_preinst() {
    [ "$result" = ok ] || return 0
    echo "vmforge: running preinst install of $2" | tee -a $OUT
    logged env DPKG_MAINTSCRIPT_PACKAGE="$2" DPKG_MAINTSCRIPT_NAME=preinst DPKG_MAINTSCRIPT_ARCH="$3" DPKG_ROOT="" \
        chroot $ROOT "/var/lib/dpkg/info/$1.preinst" install || result="failed preinst $2"
}
@PREINSTS@
build-step preinst

if [ "$result" = ok ]; then
    logged chroot $ROOT /usr/bin/dpkg --configure -a || result='failed dpkg'
fi
build-step dpkg-configure
if [ "$result" = ok ] && chroot $ROOT /bin/sh -c 'command -v ldconfig' >/dev/null 2>&1; then
    logged chroot $ROOT ldconfig
fi
rm -f $ROOT/usr/sbin/policy-rc.d $ROOT/var/cache/debconf/*-old $ROOT/var/lib/dpkg/*-old
rm -f $ROOT/var/cache/ldconfig/aux-cache
for log in dpkg.log alternatives.log; do
    if [ -f "$ROOT/var/log/$log" ]; then mv "$ROOT/var/log/$log" "/xchg/$log"; fi
done
rm -rf $ROOT/tmp/* $ROOT/var/tmp/*
umount $ROOT/dev; umount $ROOT/sys; umount $ROOT/proc
if [ "$result" = ok ]; then
    tar -cf /dev/vda -C $ROOT . || result='failed tar'
    sync
fi
build-step tar
echo "$result" > $RESULT
exit 0
