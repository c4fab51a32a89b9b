package dev.vmforge.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a fake QEMU installation (two sh scripts) into a folder, for tests that must not boot anything.
 * The fake {@code qemu-system-x86_64} records its arguments in {@code ARGS_FILE} beside itself, sets {@code $XCHG}
 * to the folder of the first {@code -virtfs} share, then runs the test's {@code behaviour} (sh text).
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
                "XCHG=",
                "while [ $# -gt 0 ]; do",
                "  case \"$1\" in",
                "    -virtfs) XCHG=$(printf '%s' \"$2\" | sed 's/^local,path=\\([^,]*\\),.*/\\1/');;",
                "  esac",
                "  shift",
                "done",
                behaviour,
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
