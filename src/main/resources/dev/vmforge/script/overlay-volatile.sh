overlay_dir=$(mktemp -d "${TMPDIR:-/tmp}/vm-maven-plugin-run.XXXXXX") \
    || die "cannot create a temporary directory under ${TMPDIR:-/tmp} (set TMPDIR)"
overlay=$overlay_dir/disk.qcow2
if ! "$QEMU_IMG" create -q -f qcow2 -F qcow2 -b "$cached_disk" "$overlay" >/dev/null; then
    rm -rf "$overlay_dir"
    die "$QEMU_IMG could not create an overlay in $overlay_dir"
fi
# removes the overlay once this process, QEMU after the exec below, has exited
script_pid=$$
(
    set +e
    trap '' HUP INT QUIT TERM
    while kill -0 "$script_pid" 2>/dev/null; do sleep 1 || sleep 1; done
    rm -rf "$overlay_dir"
) </dev/null >/dev/null 2>&1 &

