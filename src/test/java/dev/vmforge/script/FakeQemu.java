package dev.vmforge.script;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stand-ins for {@code qemu-system-x86_64} and {@code qemu-img} on PATH, written as sh scripts that record their
 * arguments (one per line) in a log directory. The fake qemu-img creates the overlay file it is asked for; the
 * fake QEMU acts as the accelerator probe asks ({@code FAKE_PROBE=ok|hang|fail}) when run with {@code -bios}.
 */
public final class FakeQemu {
    final Path bin;
    final Path logs;
    final Path home;
    final Path tmp;

    public FakeQemu(Path root) throws IOException {
        bin = Files.createDirectories(root.resolve("bin"));
        logs = Files.createDirectories(root.resolve("logs"));
        home = Files.createDirectories(root.resolve("home"));
        tmp = Files.createDirectories(root.resolve("tmp"));
        executable(bin.resolve("qemu-system-x86_64"), """
                #!/bin/sh
                for a in "$@"; do
                    if [ "$a" = -bios ]; then
                        printf '%s\\n' "$*" >>"$FAKE_LOGS/probes"
                        case ${FAKE_PROBE:-ok} in
                            ok) exit 99 ;;
                            hang) exec sleep 60 ;;
                            *) exit 1 ;;
                        esac
                    fi
                done
                printf '%s\\n' "$@" >"$FAKE_LOGS/qemu-args"
                exit ${FAKE_QEMU_STATUS:-0}
                """);
        executable(bin.resolve("qemu-img"), """
                #!/bin/sh
                printf '%s\\n' "$@" >>"$FAKE_LOGS/qemu-img-args"
                for last in "$@"; do :; done
                printf 'fake overlay\\n' >"$last"
                """);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public List<String> qemuArguments() throws IOException {
        return Files.readAllLines(logs.resolve("qemu-args"));
    }

    boolean qemuRan() {
        return Files.exists(logs.resolve("qemu-args"));
    }

    List<String> qemuImgArguments() throws IOException {
        Path file = logs.resolve("qemu-img-args");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    int probeCount() throws IOException {
        Path file = logs.resolve("probes");
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    /** Runs the script with the fakes first on PATH; {@code shell} null runs it as an executable. */
    public Result run(Path script, String shell, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (shell != null) {
            command.add(shell);
        }
        command.add(script.toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("FAKE_LOGS", logs.toString());
        env.putAll(new HashMap<>(environment));
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the script did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    public record Result(int status, String output) {
    }
}
