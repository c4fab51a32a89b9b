# --- the accelerator, decided on this machine at each run
# Runs the probe firmware under accelerator $1 for at most PROBE_SECONDS: a /dev/kvm that exists but
# hangs guests (nested virtualization) must cost a few seconds once, not a hung VM. The verdict is kept
# until the next reboot.
probe_file=
accel_works() {
    [ -n "$probe_firmware" ] && [ -f "$probe_firmware" ] || return 0
    boot_id=$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || true)
    cache_dir=${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/vm-maven-plugin
    if [ -n "$boot_id" ]; then
        probe_file=$cache_dir/$1-probe-$boot_id
        verdict=
        [ -f "$probe_file" ] && read -r verdict <"$probe_file" || true
        case $verdict in
            works) return 0 ;;
            fails) return 1 ;;
        esac
    fi
    case $1 in kvm|hvf) probe_cpu=host ;; *) probe_cpu=max ;; esac
    "$QEMU" -machine pc -accel "$1" -cpu "$probe_cpu" -m 16 -nodefaults -no-reboot -display none \
        -serial none -bios "$probe_firmware" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        </dev/null >/dev/null 2>&1 &
    probe_pid=$!
    if sleep 0.1 2>/dev/null; then tick=0.1 ticks=$((PROBE_SECONDS * 10)); else tick=1 ticks=$PROBE_SECONDS; fi
    while kill -0 "$probe_pid" 2>/dev/null; do
        if [ "$ticks" -le 0 ]; then
            kill -9 "$probe_pid" 2>/dev/null || true
            break
        fi
        sleep "$tick"
        ticks=$((ticks - 1))
    done
    probe_status=0
    wait "$probe_pid" 2>/dev/null || probe_status=$?
    if [ "$probe_status" -eq "$probe_success" ]; then verdict=works; else verdict=fails; fi
    if [ -n "$probe_file" ]; then
        mkdir -p "$cache_dir" 2>/dev/null && printf '%s\n' "$verdict" >"$probe_file" 2>/dev/null || true
    fi
    [ "$verdict" = works ]
}

case $ACCEL in
    auto)
        ACCEL=tcg
        case "$(uname -s 2>/dev/null):$(uname -m 2>/dev/null)" in
            Linux:x86_64) candidate=kvm ;;
            Darwin:x86_64) candidate=hvf ;;
            *) candidate= ;;
        esac
        if [ "$candidate" = kvm ] && ! { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }; then
            [ -e /dev/kvm ] && warn "/dev/kvm is present but this user cannot open it (add the user to the kvm group); using TCG, software emulation (slower)"
            candidate=
        fi
        if [ -n "$candidate" ]; then
            if accel_works "$candidate"; then
                ACCEL=$candidate
            else
                warn "a test guest did not run under $candidate within $PROBE_SECONDS s${probe_file:+ (verdict kept until reboot in $probe_file)}; using TCG, software emulation (slower). VM_ACCEL=$candidate forces it."
            fi
        fi
        ;;
    kvm|hvf|whpx|tcg) ;;
    *) die "VM_ACCEL=$ACCEL is not an accelerator: use auto, kvm, hvf, whpx or tcg" ;;
esac
case $ACCEL in kvm|hvf) cpu=host ;; *) cpu=max ;; esac

