package dev.vmforge.launch;

import dev.vmforge.BuildLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What an earlier start of the same VM left: normally nothing runs any more (its leash ended QEMU when that build
 * ended), but should a QEMU have survived (the watchdog itself killed, a build daemon), its pid file names it.
 * A process is ended only when it still runs and its command line names that pid file, so a reused process id
 * never ends an unrelated program.
 */
final class Leftovers {
    private Leftovers() {
    }

    static void end(VmLauncher.VmFiles files, BuildLog log) throws IOException {
        if (!Files.exists(files.pidFile())) {
            return;
        }
        String marker = files.pidFile().toString();
        Optional<ProcessHandle> qemu = readPid(files).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(marker)).orElse(false));
        if (qemu.isPresent()) {
            log.warn("VM '" + files.id() + "': a QEMU an earlier build left running (pid " + qemu.get().pid()
                    + ") is ended now");
            qemu.get().destroyForcibly();
            try {
                qemu.get().onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("VM '" + files.id() + "': QEMU (pid " + qemu.get().pid() + ") did not end within 5 s");
            }
        }
        Files.deleteIfExists(files.pidFile());
    }

    private static Optional<Long> readPid(VmLauncher.VmFiles files) {
        try {
            return Optional.of(Long.parseLong(Files.readString(files.pidFile(), StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
