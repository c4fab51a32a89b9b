if [ -f "$overlay" ]; then
    recorded=$(cat "$overlay.base" 2>/dev/null || true)
    [ "$recorded" = "$cached_disk" ] || die "$overlay holds the changes made to an earlier build of the system (${recorded:-unknown}); the system was rebuilt since, as $cached_disk. Delete $overlay to start from the new system (those changes are lost)."
else
    rm -f "$overlay.new"
    "$QEMU_IMG" create -q -f qcow2 -F qcow2 -b "$cached_disk" "$overlay.new" >/dev/null \
        || die "$QEMU_IMG could not create the overlay $overlay"
    printf '%s\n' "$cached_disk" >"$overlay.base"
    mv "$overlay.new" "$overlay"
fi

