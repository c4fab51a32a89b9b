#!/bin/busybox sh
# run by acpid when the ACPI power button is pressed: shut down as the poweroff command does
exec /bin/busybox poweroff
