package dev.vmforge.debian;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The content of a (verified) {@code Release} file: which suite it describes, its validity window,
 * and the SHA-256 and size of every index it lists.
 */
public record ReleaseFile(String suite, String codename, Instant date, Instant validUntil,
                          List<String> architectures, List<String> components,
                          Map<String, IndexEntry> sha256, boolean acquireByHash) {

    /** One {@code SHA256} line: {@code HASH SIZE PATH}. */
    public record IndexEntry(String path, String sha256, long size) {
    }

    public static ReleaseFile parse(String text, String where) {
        List<ControlParagraph> paragraphs = Deb822.parse(text, where);
        if (paragraphs.isEmpty()) {
            throw new IllegalArgumentException(where + " is empty");
        }
        ControlParagraph p = paragraphs.get(0);
        Map<String, IndexEntry> sums = new HashMap<>();
        String lines = p.get("SHA256");
        if (lines == null) {
            throw new IllegalArgumentException(where + " has no SHA256 field (MD5/SHA1-only Release files are not trusted)");
        }
        for (String line : lines.split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 3) {
                sums.put(parts[2], new IndexEntry(parts[2], parts[0].toLowerCase(Locale.ROOT), Long.parseLong(parts[1])));
            }
        }
        return new ReleaseFile(p.get("Suite", ""), p.get("Codename", ""),
                parseDate(p.get("Date"), where, "Date"), parseDate(p.get("Valid-Until"), where, "Valid-Until"),
                words(p.get("Architectures")), words(p.get("Components")), Map.copyOf(sums),
                "yes".equalsIgnoreCase(p.get("Acquire-By-Hash")));
    }

    /** Whether the requested suite name is this Release's suite or codename (as apt checks). */
    public boolean describes(String requestedSuite) {
        return requestedSuite.equals(suite) || requestedSuite.equals(codename);
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
    }

    /** Release dates are RFC 2822, e.g. {@code Sat, 10 Jun 2023 08:53:33 UTC}. */
    static Instant parseDate(String value, String where, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip().replace(" UTC", " +0000").replace(" GMT", " +0000");
        for (String pattern : new String[] {"EEE, d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss Z"}) {
            try {
                return ZonedDateTime.parse(v, DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)).toInstant();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        throw new IllegalArgumentException(where + ": cannot read " + field + " '" + value + "'");
    }
}
