package dev.vmforge.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebianVersionTest {

    /** Cases from dpkg's own test suite and Debian policy 5.6.12: a OP b. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ' ', value = {
        "1.0 < 1.1",
        "1.0 = 1.0",
        "1.0 = 1.00",
        "1.0 = 0:1.0",
        "1.0-0 = 1.0",
        "1:1.0 > 2.0",
        "1.0~rc1 < 1.0",
        "1.0~~ < 1.0~",
        "1.0~~a < 1.0~",
        "1.0~ < 1.0",
        "1.0 < 1.0a",
        "1.0a < 1.0+",
        "1.0+ < 1.0.",
        "1.0 < 1.0.0",
        "1.0-1 < 1.0-2",
        "1.0-1 < 1.0-1.1",
        "1.0-1ubuntu1 > 1.0-1",
        "1.0-10 > 1.0-9",
        "2.30-1 > 2.4-1",
        "a < b",
        "A < a",
        "Z < a",
        "1.2.3-4+deb12u1 > 1.2.3-4",
        "1.2.3-4+deb12u1 < 1.2.3-4+deb12u2",
        "1.2.3-4~bpo12+1 < 1.2.3-4",
        "17.0.15+6-1~deb12u1 < 17.0.15+6-1",
        "1:2.0-1 > 1:1.9-9",
        "2:0.1 > 1:99",
        "0.0001 = 0.1",
        "1.0-a-1 > 1.0-a",
        "1.0-a-1 > 1.0-b",
        "3.0.8-1 < 3.0.11-1",
        "0:0 = 0",
        "1.0+dfsg1-1 > 1.0-1",
        "9 < 10",
        "1.0a~ < 1.0a",
    })
    void comparesLikeDpkg(String a, String op, String b) {
        int c = Integer.signum(DebianVersion.parse(a).compareTo(DebianVersion.parse(b)));
        int expected = op.equals("<") ? -1 : op.equals(">") ? 1 : 0;
        assertEquals(expected, c, a + " vs " + b);
        assertEquals(-expected, Integer.signum(DebianVersion.parse(b).compareTo(DebianVersion.parse(a))), "antisymmetric");
    }

    @Test
    void parsesEpochUpstreamRevision() {
        DebianVersion v = DebianVersion.parse("2:1.2-3-4");
        assertEquals(2, v.epoch());
        assertEquals("1.2-3", v.upstream());
        assertEquals("4", v.revision());
        assertEquals("2:1.2-3-4", v.toString());
        assertEquals("1.0", DebianVersion.parse("1.0").toString());
    }

    /** Cross-checks against the real dpkg when it is installed. */
    @Test
    void agreesWithDpkgCompareVersions() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "dpkg not installed");
        String[] versions = {"1.0", "1.0~rc1", "1.0+b1", "1.0-1", "1:0.9", "1.0.0", "1.00", "1.0a", "1.0~", "2.30",
            "2.4", "1.0-1~bpo1", "1.0-1+deb12u1", "0.9.9", "1.0+dfsg", "1.0.", "1.0-0"};
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < versions.length; i++) {
            for (int j = i + 1; j < versions.length; j += 3) {
                String a = versions[i];
                String b = versions[j];
                Process p = new ProcessBuilder("dpkg", "--compare-versions", a, "lt", b).start();
                boolean dpkgLess = p.waitFor() == 0;
                boolean oursLess = DebianVersion.parse(a).compareTo(DebianVersion.parse(b)) < 0;
                checked++;
                if (dpkgLess != oursLess) {
                    mismatches.add(a + " lt " + b + ": dpkg " + dpkgLess);
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertEquals(true, checked >= 40, "checked " + checked + " pairs");
    }
}
