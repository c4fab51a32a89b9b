#!/bin/busybox sh
# Builder VM step 'build-iso' (vm-maven-plugin, dev.vmforge.image.IsoBuilderScript): makes a hybrid ISO 9660 image
# of the root file system, written from byte 0 of the output disk. It boots as a CD/DVD under BIOS (El Torito,
# GRUB's eltorito.img) and UEFI (El Torito EFI image: a FAT image holding GRUB as BOOTX64.EFI), and written to a
# USB stick (GRUB's boot_hybrid.img in the MBR for BIOS; a GPT whose EFI system partition is that FAT image).
# GRUB finds the medium by its volume ID; the system's initrd mounts it read-only under a tmpfs overlay.
# Reproducible: SOURCE_DATE_EPOCH gives xorriso every volume date and the UUID the GPT's GUIDs derive from; every
# file's dates are $TIMESTAMP; mkfs.fat and mtools get fixed serials and dates.
# Rules as in build-image.sh: absolute paths, no pipes, set -e, BUILD-STEP lines for the host's timings.
set -e
TOOLS=@TOOLS@
GRUB_LIB=@GRUB_LIB@            # GRUB's platform folders (i386-pc, x86_64-efi)
export PATH="$TOOLS:/usr/bin:/sbin:/bin"
export LC_ALL=C TZ=UTC
BB=/bin/busybox

DISK=@DISK@                    # the output disk: the ISO is written from its first byte; the host cuts the rest
ROOTFS_TAR=@ROOTFS_TAR@        # a read-only disk holding the root file system as a tar
APPLICATION_TAR=@APPLICATION_TAR@  # a read-only disk holding the application's tar, or empty: it goes into the root
VOLUME_ID=@VOLUME_ID@          # the ISO's volume ID, GRUB's search --label and the initrd's root=LABEL=
ESP_SERIAL=@ESP_SERIAL@        # the EFI image's FAT serial
KERNEL=@KERNEL@                # as grub.cfg names them, below /
INITRD=@INITRD@
GRUB_BIOS=@GRUB_BIOS@          # yes or no
GRUB_EFI=@GRUB_EFI@
TIMESTAMP=@TIMESTAMP@          # every time in the image (project.build.outputTimestamp)
FAT_TIMESTAMP=@FAT_TIMESTAMP@  # the same, no earlier than 1980
TREE_MIB=@TREE_MIB@            # the tmpfs the tree is unpacked onto
TREE=/mnt/tree
WORK=/mnt/work

@STEP_FUNCTIONS@

step wait-disks
wait_block "$DISK"
wait_block "$ROOTFS_TAR"
[ -z "$APPLICATION_TAR" ] || wait_block "$APPLICATION_TAR"

step unpack
$BB mkdir -p "$TREE" "$WORK"
$BB mount -t tmpfs -o size=${TREE_MIB}m,mode=0755,noatime tmpfs "$TREE"
$BB mount -t tmpfs -o size=64m,mode=0755 tmpfs "$WORK"
$BB tar -x -f "$ROOTFS_TAR" -C "$TREE"
if [ -n "$APPLICATION_TAR" ]; then
    # an ISO has no application partition: the application's files are part of its root
    step unpack-application
    $BB tar -x -f "$APPLICATION_TAR" -C "$TREE"
fi

step check-boot-files
[ -f "$TREE$KERNEL" ] || fail "the kernel $KERNEL is not in the root file system"
[ -f "$TREE$INITRD" ] || fail "the initrd $INITRD is not in the root file system"

step grub-files
$BB mkdir -p "$TREE/boot/grub"
$BB cat > "$TREE/boot/grub/grub.cfg" <<'GRUB_CFG_END'
@GRUB_CFG@
GRUB_CFG_END
# what each core image runs first: find the medium by its volume ID, read the rest from its /boot/grub
$BB cat > "$WORK/load.cfg" <<LOAD_CFG_END
search --no-floppy --label --set=root $VOLUME_ID
set prefix=(\$root)/boot/grub
LOAD_CFG_END
set --
if [ "$GRUB_BIOS" = yes ]; then
    copy_grub_platform i386-pc
    "$TOOLS/grub-mkimage" -d "$GRUB_LIB/i386-pc" -O i386-pc-eltorito -o "$TREE/boot/grub/i386-pc/eltorito.img" \
        -c "$WORK/load.cfg" -p /boot/grub biosdisk iso9660 part_msdos part_gpt search search_label
    # El Torito for CDs; boot_hybrid.img in the MBR loads the same image from a USB stick
    set -- "$@" -b boot/grub/i386-pc/eltorito.img -no-emul-boot -boot-load-size 4 -boot-info-table \
        --grub2-boot-info --grub2-mbr "$GRUB_LIB/i386-pc/boot_hybrid.img"
fi
if [ "$GRUB_EFI" = yes ]; then
    copy_grub_platform x86_64-efi
    "$TOOLS/grub-mkimage" -d "$GRUB_LIB/x86_64-efi" -O x86_64-efi -o "$WORK/bootx64.efi" \
        -c "$WORK/load.cfg" -p /boot/grub iso9660 part_msdos part_gpt search search_label
    # the EFI image: a small FAT with GRUB at the removable media path
    "$TOOLS/mkfs.fat" -C -n EFIBOOT --invariant -i "$ESP_SERIAL" "$TREE/boot/grub/efi.img" 4096 >/dev/null
    SOURCE_DATE_EPOCH=$FAT_TIMESTAMP MTOOLS_SKIP_CHECK=1 "$TOOLS/mmd" -i "$TREE/boot/grub/efi.img" ::/EFI ::/EFI/BOOT
    SOURCE_DATE_EPOCH=$FAT_TIMESTAMP MTOOLS_SKIP_CHECK=1 "$TOOLS/mcopy" -i "$TREE/boot/grub/efi.img" \
        "$WORK/bootx64.efi" ::/EFI/BOOT/BOOTX64.EFI
    set -- "$@" -eltorito-alt-boot -e boot/grub/efi.img -no-emul-boot -efi-boot-part --efi-boot-image
fi

step xorriso
# -R: Rock Ridge with the tree's owners, modes, links and devices (not -r, which resets them). Every file's and
# folder's times are $TIMESTAMP: the tar gives files theirs, but tar sets a folder's before filling it, and what
# this script adds gets the guest's clock.
SOURCE_DATE_EPOCH=$TIMESTAMP "$TOOLS/xorriso" -as mkisofs -R -iso-level 3 -V "$VOLUME_ID" \
    --set_all_file_dates "=$TIMESTAMP" --protective-msdos-label "$@" -o "stdio:$DISK" "$TREE"

step verify
$BB sync
$BB umount "$TREE"
step finished
