#!/bin/busybox sh
# Builder VM step 'build-image' (vm-maven-plugin, dev.vmforge.image.BuilderScript): partitions the output disk,
# unpacks the root file system from its tar disk onto a tmpfs, adds GRUB's files, makes the root file system from
# that tree in one pass (mke2fs -d), fills the EFI system partition with mtools and writes GRUB's BIOS boot code.
# Reproducible: nothing is mounted read-write, so no kernel clock, allocation order or background thread reaches
# the disk; every time written is $TIMESTAMP (SOURCE_DATE_EPOCH: mke2fs clamps the tree's later times to it).
# Rules: tools are called by absolute path (busybox sh runs its own applets before PATH, and busybox's mke2fs
# is not e2fsprogs'); no pipes (their exit status is lost); set -e so the first failure stops the build, and
# the EXIT trap names the step that failed. Each step prints BUILD-STEP NAME UPTIME for the host's timings.
set -e
TOOLS=@TOOLS@
GRUB_LIB=@GRUB_LIB@            # GRUB's platform folders (i386-pc, x86_64-efi)
export PATH="$TOOLS:/usr/bin:/sbin:/bin"
export LC_ALL=C TZ=UTC         # mke2fs -d copies a folder's entries in strcoll order; mtools writes local times
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
TIMESTAMP=@TIMESTAMP@          # every time in the image (project.build.outputTimestamp)
FAT_TIMESTAMP=@FAT_TIMESTAMP@  # the same, no earlier than 1980 (FAT cannot record earlier dates)
TREE_MIB=@TREE_MIB@            # the tmpfs the tree is unpacked onto
TREE=/mnt/tree
MNT=/mnt/root
WORK=/mnt/work

@STEP_FUNCTIONS@

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

step unpack
# noatime: reading the tree must not change it. busybox tar (as root, with no /etc/passwd) keeps numeric owners,
# modes, devices and links, and stops at the archive's end marker, ignoring the rest of the disk.
$BB mkdir -p "$TREE" "$MNT" "$WORK"
$BB mount -t tmpfs -o size=${TREE_MIB}m,mode=0755,noatime tmpfs "$TREE"
$BB tar -x -f "$ROOTFS_TAR" -C "$TREE"

step check-boot-files
[ -f "$TREE$KERNEL" ] || fail "the kernel $KERNEL is not in the root file system"
[ -f "$TREE$INITRD" ] || fail "the initrd $INITRD is not in the root file system"

step grub-files
$BB mkdir -p "$TREE/boot/grub"
$BB cat > "$TREE/boot/grub/grub.cfg" <<'GRUB_CFG_END'
@GRUB_CFG@
GRUB_CFG_END
"$TOOLS/grub-editenv" "$TREE/boot/grub/grubenv" create
# what grub-install would embed: find the root file system by UUID, read the rest from its /boot/grub
$BB cat > "$WORK/load.cfg" <<LOAD_CFG_END
search.fs_uuid $FS_UUID root
set prefix=(\$root)/boot/grub
LOAD_CFG_END
if [ "$GRUB_BIOS" = yes ]; then
    copy_grub_platform i386-pc
    $BB cp "$GRUB_LIB/i386-pc/boot.img" "$TREE/boot/grub/i386-pc/"
    "$TOOLS/grub-mkimage" -d "$GRUB_LIB/i386-pc" -O i386-pc -o "$TREE/boot/grub/i386-pc/core.img" \
        -c "$WORK/load.cfg" -p /boot/grub biosdisk part_gpt part_msdos ext2 search_fs_uuid
fi
if [ "$GRUB_EFI" = yes ]; then
    copy_grub_platform x86_64-efi
    "$TOOLS/grub-mkimage" -d "$GRUB_LIB/x86_64-efi" -O x86_64-efi -o "$TREE/boot/grub/x86_64-efi/core.efi" \
        -c "$WORK/load.cfg" -p /boot/grub part_gpt part_msdos ext2 search_fs_uuid
    $BB mkdir -p "$TREE/boot/efi"
fi

step mkfs-root
# One pass from the tree. SOURCE_DATE_EPOCH gives the superblock, journal and new inodes their times and clamps
# the tree's (tmpfs ctimes are the guest's clock); -U and hash_seed fix the UUID and directory hashes; nodiscard
# and explicit lazy init keep the bytes independent of what the virtual disk claims to support.
SOURCE_DATE_EPOCH=$TIMESTAMP "$TOOLS/mke2fs" -q -F -t "$FS_TYPE" -L "$FS_LABEL" -U "$FS_UUID" \
    -E "hash_seed=$FS_HASH_SEED,root_owner=0:0,nodiscard,lazy_itable_init=1,lazy_journal_init=1" \
    -d "$TREE" "$ROOT" "${ROOT_KIB}k"

if [ -n "$ESP" ]; then
    step esp
    "$TOOLS/mkfs.fat" -F 32 -n ESP --invariant -i "$ESP_SERIAL" "$ESP"
    # grub-install --removable's layout: EFI/BOOT/BOOTX64.EFI; mtools stamps entries with SOURCE_DATE_EPOCH
    SOURCE_DATE_EPOCH=$FAT_TIMESTAMP MTOOLS_SKIP_CHECK=1 "$TOOLS/mmd" -i "$ESP" ::/EFI ::/EFI/BOOT
    SOURCE_DATE_EPOCH=$FAT_TIMESTAMP MTOOLS_SKIP_CHECK=1 "$TOOLS/mcopy" -i "$ESP" \
        "$TREE/boot/grub/x86_64-efi/core.efi" ::/EFI/BOOT/BOOTX64.EFI
fi

if [ "$GRUB_BIOS" = yes ]; then
    step grub-bios-setup
    # boot.img into the MBR and core.img into the BIOS boot partition (GPT) or the gap before the first
    # partition (MBR). grub-bios-setup reads both from a folder it must find on a disk, so the root is mounted
    # read-only for it, and without its journal: nothing is written to it.
    $BB mount -t "$FS_TYPE" -o ro,noload "$ROOT" "$MNT"
    "$GRUB_LIB/i386-pc/grub-bios-setup" -d "$MNT/boot/grub/i386-pc" "$DISK"
    $BB umount "$MNT"
fi

step verify
$BB sync
"$TOOLS/sfdisk" --verify "$DISK"
"$TOOLS/e2fsck" -f -n "$ROOT"
$BB sync
step finished
