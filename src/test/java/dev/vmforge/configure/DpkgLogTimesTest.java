package dev.vmforge.configure;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DpkgLogTimesTest {
    private static final String LOG = String.join("\n",
            "2026-01-01 00:00:00 startup packages configure",
            "2026-01-01 00:00:01 configure libc6:amd64 2.36-9 <none>",
            "2026-01-01 00:00:01 status installed libc6:amd64 2.36-9",
            "2026-01-01 00:00:04 configure ca-certificates-java:all 20230710 <none>",
            "not a dpkg line at all, with words",
            "2026-01-01 00:01:04 trigproc libc-bin:amd64 2.36-9 <none>",
            "2026-01-01 00:01:06 status installed libc-bin:amd64 2.36-9",
            "");

    @Test
    void eachActionLastsUntilTheNextOneStarts() {
        assertEquals(List.of(new DpkgLogTimes.Action("configure libc6:amd64", 3),
                new DpkgLogTimes.Action("configure ca-certificates-java:all", 60),
                new DpkgLogTimes.Action("trigproc libc-bin:amd64", 2)), DpkgLogTimes.parse(LOG));
    }

    @Test
    void theSlowestComeFirst() {
        assertEquals(List.of("configure ca-certificates-java:all", "configure libc6:amd64"),
                DpkgLogTimes.slowest(DpkgLogTimes.parse(LOG), 2).stream().map(DpkgLogTimes.Action::what).toList());
    }
}
