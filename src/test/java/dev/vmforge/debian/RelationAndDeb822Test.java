package dev.vmforge.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RelationAndDeb822Test {

    @Test
    void parsesAlternativesVersionsAndQualifiers() {
        List<List<Relation>> groups = Relation.parseField(
                "libc6 (>= 2.34), default-mta | mail-transport-agent, python3:any (<< 3.12), libfoo:native (= 1:2.0-1)", "amd64");
        assertEquals(4, groups.size());
        Relation libc = groups.get(0).get(0);
        assertEquals("libc6", libc.name());
        assertEquals(VersionOperator.GREATER_OR_EQUAL, libc.operator());
        assertEquals("2.34", libc.version().toString());
        assertEquals(List.of("default-mta", "mail-transport-agent"), groups.get(1).stream().map(Relation::name).toList());
        assertEquals("any", groups.get(2).get(0).archQualifier());
        assertEquals(VersionOperator.LESS, groups.get(2).get(0).operator());
        assertEquals("native", groups.get(3).get(0).archQualifier());
        assertEquals(1, groups.get(3).get(0).version().epoch());
    }

    @Test
    void dropsAlternativesForOtherArchitectures() {
        List<List<Relation>> groups = Relation.parseField("a [i386], b [!amd64] | c [amd64 arm64], d [!i386], e <!nocheck>", "amd64");
        assertEquals(List.of("c", "d", "e"), groups.stream().map(g -> g.get(0).name()).toList());
        assertEquals(1, groups.get(0).size());
    }

    @Test
    void versionOperatorsHoldAsPolicySays() {
        DebianVersion one = DebianVersion.parse("1.0");
        DebianVersion two = DebianVersion.parse("2.0");
        assertTrue(VersionOperator.parse("<<").test(one, two));
        assertFalse(VersionOperator.parse("<<").test(two, two));
        assertTrue(VersionOperator.parse("<=").test(two, two));
        assertTrue(VersionOperator.parse("=").test(two, DebianVersion.parse("2.00")));
        assertTrue(VersionOperator.parse(">=").test(two, one));
        assertFalse(VersionOperator.parse(">>").test(two, two));
        assertTrue(VersionOperator.parse(">").test(two, two), "obsolete '>' means '>='");
        assertThrows(IllegalArgumentException.class, () -> VersionOperator.parse("=>"));
    }

    @Test
    void parsesVersionedProvides() {
        Relation r = Relation.parseField("mail-transport-agent, libfoo-abi (= 3)", "amd64").get(1).get(0);
        assertEquals("libfoo-abi", r.name());
        assertTrue(r.acceptsVersion(DebianVersion.parse("3")));
        assertNull(Relation.parseField("x", "amd64").get(0).get(0).version());
    }

    @Test
    void parsesParagraphsWithContinuationsAndComments() {
        String text = "# comment\nTypes: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\n  bookworm-updates\n"
                + "Description: first\n .\n more\n\n\nPackage: x\nversion: 1\n";
        List<ControlParagraph> ps = Deb822.parse(text, "test");
        assertEquals(2, ps.size());
        assertEquals("bookworm\n bookworm-updates", ps.get(0).get("suites"));
        assertEquals("first\n.\nmore", ps.get(0).get("Description"));
        assertEquals("1", ps.get(1).get("Version"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Deb822.parse(" orphan\n", "f.sources"));
        assertTrue(e.getMessage().contains("f.sources line 1"), e.getMessage());
    }

    @Test
    void parsesReleaseDatesAndChecksums() {
        ReleaseFile r = ReleaseFile.parse("Suite: stable\nCodename: bookworm\nDate: Sat, 10 Jun 2023 08:53:33 UTC\n"
                + "Valid-Until: Sat, 17 Jun 2023 08:53:33 UTC\nSHA256:\n 0123 42 main/binary-amd64/Packages.xz\n", "Release");
        assertTrue(r.describes("bookworm"));
        assertTrue(r.describes("stable"));
        assertFalse(r.describes("trixie"));
        assertEquals(java.time.Instant.parse("2023-06-10T08:53:33Z"), r.date());
        assertEquals(42, r.sha256().get("main/binary-amd64/Packages.xz").size());
    }
}
