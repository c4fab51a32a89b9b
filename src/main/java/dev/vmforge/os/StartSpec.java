package dev.vmforge.os;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code <start>} block: which VM of the project (several executions of vm:start each start their own), what
 * boots, when the VM counts as ready, and how long vm:stop lets the guest power off.
 *
 * @param id          names the VM's files ({@code target/vm/console-ID.log}) and, unless it is {@value #DEFAULT_ID},
 *                    its project properties ({@code vm.ID.port.GUEST})
 * @param timeout     how long vm:start waits for {@code waitFor}
 * @param stopTimeout how long vm:stop waits for the guest to power off after the ACPI request before ending QEMU
 */
public record StartSpec(String id, Boot boot, WaitFor waitFor, Duration timeout, Duration stopTimeout) {
    public static final String DEFAULT_ID = "default";

    public StartSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(boot, "boot");
        Objects.requireNonNull(waitFor, "waitFor");
    }

    /** What boots: the disk image through firmware and GRUB, or the system's kernel and initrd directly. */
    public enum Boot { IMAGE, DIRECT }

    /**
     * When the VM is ready: every condition given holds (none given: as soon as QEMU runs).
     *
     * @param log  a console line matching this expression has appeared
     * @param tcp  the guest accepts TCP connections on this (forwarded) port
     * @param http a GET through a forwarded port answers 2xx
     */
    public record WaitFor(Optional<Pattern> log, Optional<Integer> tcp, Optional<Http> http) {
        public static final WaitFor NOTHING = new WaitFor(Optional.empty(), Optional.empty(), Optional.empty());

        public boolean isEmpty() {
            return log.isEmpty() && tcp.isEmpty() && http.isEmpty();
        }
    }

    /** {@code <http><port/><path/></http>}: a guest port and an absolute path. */
    public record Http(int port, String path) {
    }

    public boolean isDefaultId() {
        return id.equals(DEFAULT_ID);
    }
}
