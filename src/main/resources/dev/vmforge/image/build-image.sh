#!/bin/busybox sh
# Builder VM step 'build-image' (vm-maven-plugin, dev.vmforge.image.BuilderScript): partitions the output disk,
# makes the file systems, unpacks the root file system from its tar disk and installs GRUB.
# Rules: tools are called by absolute path (busybox sh runs its own applets before PATH, and busybox's mke2fs
# is not e2fsprogs'); no pipes (their exit status is lost); set -e so the first failure stops the build, and
# the EXIT trap names the step that failed. Each step prints BUILD-STEP NAME UPTIME for the host's timings.
set -e
TOOLS=@TOOLS@
export PATH="$TOOLS:/usr/bin:/sbin:/bin"
BB=/bin/busybox

DISK=@DISK@                    # the blank output disk
ROOTFS_TAR=@ROOTFS_TAR@        # a read-only disk holding the root file system as a tar
PARTITIONS=@PARTITIONS@        # every partition's device
ROOT=@ROOT@                    # root partition, its file system and size
FS_TYPE=@FS_TYPE@
FS_LABEL=@FS_LABEL@
FS_UUID=@FS_UUID@
FS_HASH_SEED=@FS_HASH_SEED@
ROOT_KIB=@ROOT_KIB@
ESP=@ESP@                      # EFI system partition, or empty
ESP_SERIAL=@ESP_SERIAL@
KERNEL=@KERNEL@                # as grub.cfg names them, below /
INITRD=@INITRD@
GRUB_BIOS=@GRUB_BIOS@          # yes or no
GRUB_EFI=@GRUB_EFI@
TIMESTAMP=@TIMESTAMP@          # mke2fs's clock (E2FSPROGS_FAKE_TIME)
MNT=/mnt/root
# How the root is mounted while it is filled (not stored in it). noinit_itable: no background thread zeroing
# inode tables, which would compete for the one CPU and make the image depend on timing.
MOUNT_OPTIONS=noatime,noinit_itable

STEP=start
step() { STEP=$1; echo "BUILD-STEP $1 $($BB cut -d' ' -f1 /proc/uptime)"; }
fail() { echo "BUILD-FAILED in step $STEP: $1"; exit 1; }
trap 'rc=$?; [ $rc -eq 0 ] || echo "BUILD-FAILED in step $STEP (exit status $rc)"' EXIT
wait_block() {
    i=0
    while [ ! -b "$1" ]; do
        i=$((i+1)); [ $i -le 100 ] || fail "$1 did not appear"
        $BB sleep 0.1
    done
}

step wait-disks
wait_block "$DISK"
wait_block "$ROOTFS_TAR"

step partition
"$TOOLS/sfdisk" --no-reread --no-tell-kernel -q "$DISK" <<'SFDISK_END'
@SFDISK_SCRIPT@
SFDISK_END
"$TOOLS/sfdisk" --verify "$DISK"
$BB blockdev --rereadpt "$DISK"
for partition in $PARTITIONS; do
    wait_block "$partition"
done

if [ -n "$ESP" ]; then
    step mkfs-esp
    "$TOOLS/mkfs.fat" -F 32 -n ESP --invariant -i "$ESP_SERIAL" "$ESP"
fi

step mkfs-root
E2FSPROGS_FAKE_TIME=$TIMESTAMP "$TOOLS/mke2fs" -q -F -t "$FS_TYPE" -L "$FS_LABEL" -U "$FS_UUID" \
    -E hash_seed="$FS_HASH_SEED" "$ROOT" "${ROOT_KIB}k"

step mount
$BB mkdir -p "$MNT"
$BB mount -t "$FS_TYPE" -o "$MOUNT_OPTIONS" "$ROOT" "$MNT"

step unpack
# busybox tar (as root, with no /etc/passwd) keeps numeric owners, modes, devices and links, and stops at the
# archive's end marker, ignoring the rest of the disk
$BB tar -x -f "$ROOTFS_TAR" -C "$MNT"

step check-boot-files
[ -f "$MNT$KERNEL" ] || fail "the kernel $KERNEL is not in the root file system"
[ -f "$MNT$INITRD" ] || fail "the initrd $INITRD is not in the root file system"

if [ -n "$ESP" ]; then
    step mount-esp
    $BB mkdir -p "$MNT/boot/efi"
    $BB mount -t vfat "$ESP" "$MNT/boot/efi"
fi

step grub-cfg
$BB mkdir -p "$MNT/boot/grub"
$BB cat > "$MNT/boot/grub/grub.cfg" <<'GRUB_CFG_END'
@GRUB_CFG@
GRUB_CFG_END

if [ "$GRUB_BIOS" = yes ]; then
    step grub-install-bios
    "$TOOLS/grub-install" --target=i386-pc --boot-directory="$MNT/boot" --modules="part_gpt part_msdos ext2" "$DISK"
fi
if [ "$GRUB_EFI" = yes ]; then
    step grub-install-efi
    "$TOOLS/grub-install" --target=x86_64-efi --efi-directory="$MNT/boot/efi" --boot-directory="$MNT/boot" \
        --removable --no-nvram --no-uefi-secure-boot
fi

step unmount
$BB sync
if [ -n "$ESP" ]; then
    $BB umount "$MNT/boot/efi"
fi
$BB umount "$MNT"

step verify
"$TOOLS/sfdisk" --verify "$DISK"
"$TOOLS/e2fsck" -f -n "$ROOT"
$BB sync
step finished
