package dev.vmforge.it;

import java.io.File;
import java.util.List;

/**
 * The processes still running whose command line names a directory (a project's QEMU names its disk, console or
 * pid file there): after a build, there must be none. A VM's end may take a moment after Maven's (the watchdog reads
 * end-of-file, QEMU exits on SIGTERM), so this waits up to the given time for the list to empty.
 */
public final class ProcessesLeft {
    private ProcessesLeft() {
    }

    public static List<String> naming(File directory, int patienceSeconds) throws InterruptedException {
        String path = directory.getAbsolutePath();
        long deadline = System.nanoTime() + patienceSeconds * 1_000_000_000L;
        while (true) {
            List<String> left = ProcessHandle.allProcesses()
                    .filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(p -> p.info().arguments().map(args -> List.of(args).stream().anyMatch(a -> a.contains(path)))
                            .orElse(false))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                    .toList();
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(200);
        }
    }
}
