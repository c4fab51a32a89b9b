#!/bin/busybox sh
# run by busybox init before it halts: stop services while the disk can still be written, then unmount
B=/bin/busybox
$B kill -TERM -1 2>/dev/null
$B sleep 2
$B kill -KILL -1 2>/dev/null
$B sync
$B umount -a -r 2>/dev/null
$B mount -o remount,ro / 2>/dev/null
$B sync
