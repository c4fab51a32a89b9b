package dev.vmforge.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a fake QEMU installation (two sh scripts) into a folder, for tests that must not boot anything.
 * The fake {@code qemu-system-x86_64} plays the guest's side of the exchange protocol as {@link BuilderInit} does:
 * it records its arguments in {@code ARGS_FILE} beside itself, unpacks the leading cpio archive of its
 * {@code -initrd} (with the host's {@code cpio}) into a fresh guest root, sets {@code $XCHG} to that root's
 * {@code xchg} folder and {@code $GUEST} to the root, runs the test's {@code behaviour} (sh text), then writes
 * {@code tar -cf LAST_DRIVE xchg [.exit-status]} from the guest root, as the init does. A behaviour sets the exit
 * status with {@code echo N > "$GUEST/.exit-status"}; one that ends with {@code exit} leaves the exchange disk blank
 * (the VM died before writing it).
 * The fake {@code qemu-img create -q -f FMT FILE SIZE} creates FILE with that size.
 */
public final class FakeQemu {
    public static final String ARGS_FILE = "qemu-args.txt";

    private FakeQemu() {
    }

    public static QemuInstallation install(Path directory, String behaviour) throws IOException {
        Files.createDirectories(directory);
        Path emulator = directory.resolve("qemu-system-x86_64");
        Files.writeString(emulator, String.join("\n",
                "#!/bin/sh",
                "here=$(dirname \"$0\")",
                "printf '%s\\n' \"$@\" > \"$here/" + ARGS_FILE + "\"",
                "initrd=; disk=",
                "while [ $# -gt 0 ]; do",
                "  case \"$1\" in",
                "    -initrd) initrd=$2;;",
                "    -drive) disk=$(printf '%s' \"$2\" | sed 's/^file=\\([^,]*\\),.*/\\1/');;",
                "  esac",
                "  shift",
                "done",
                "GUEST=$(mktemp -d)",
                "trap 'rm -rf \"$GUEST\"' EXIT",
                "# the accelerator probe boots firmware, not a kernel: no initrd, no exchange disk",
                "if [ -n \"$initrd\" ]; then (cd \"$GUEST\" && cpio -id --quiet < \"$initrd\") || exit 1; fi",
                "XCHG=$GUEST/xchg",
                behaviour,
                "cd \"$GUEST\"",
                "[ -n \"$initrd\" ] || exit 0",
                "if [ -f .exit-status ]; then tar -cf \"$disk\" xchg .exit-status; else tar -cf \"$disk\" xchg; fi",
                ""));
        Path imageTool = directory.resolve("qemu-img");
        Files.writeString(imageTool, String.join("\n",
                "#!/bin/sh",
                "# qemu-img create -q -f FORMAT FILE SIZE",
                "echo \"$@\" > \"$(dirname \"$0\")/qemu-img-args.txt\"",
                "truncate -s \"$6\" \"$5\"",
                ""));
        for (Path script : new Path[] {emulator, imageTool}) {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return new QemuInstallation(emulator, imageTool);
    }
}
