#!/bin/busybox sh
# a root shell on the console, only with vmforge.console=shell on the kernel command line
B=/bin/busybox
case " $($B cat /proc/cmdline) " in
    *" vmforge.console=shell "*) ;;
    *) exit 0 ;;
esac
while :; do
    $B setsid -c $B sh -l </dev/console >/dev/console 2>&1
done
