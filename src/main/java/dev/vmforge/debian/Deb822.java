package dev.vmforge.debian;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parser for deb822 control data: paragraphs separated by blank lines, {@code Name: value} fields,
 * continuation lines starting with space or tab, {@code #} comment lines (allowed in .sources files).
 */
public final class Deb822 {
    private Deb822() {
    }

    /**
     * Parses all paragraphs.
     *
     * @param where names the file in error messages
     */
    public static List<ControlParagraph> parse(String text, String where) {
        List<ControlParagraph> paragraphs = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        Map<String, StringBuilder> continued = new LinkedHashMap<>();
        String lastName = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (line.isBlank()) {
                flush(current, continued);
                if (!current.isEmpty()) {
                    paragraphs.add(new ControlParagraph(current));
                    current = new LinkedHashMap<>();
                }
                lastName = null;
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (lastName == null) {
                    throw new IllegalArgumentException(where + " line " + lineNo + ": continuation line without a field");
                }
                StringBuilder value = continued.get(lastName);
                if (value == null) {
                    value = new StringBuilder(current.get(lastName));
                    continued.put(lastName, value);
                }
                if (value.length() > 0) {
                    value.append('\n');
                }
                value.append(line, 1, line.length());
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(where + " line " + lineNo + ": expected 'Name: value' but found '" + line + "'");
            }
            flush(current, continued);
            lastName = line.substring(0, colon);
            current.put(lastName, line.substring(colon + 1).strip());
        }
        flush(current, continued);
        if (!current.isEmpty()) {
            paragraphs.add(new ControlParagraph(current));
        }
        return paragraphs;
    }

    /** Multi-line values are built in StringBuilders (a Release file's SHA256 field has hundreds of lines). */
    private static void flush(Map<String, String> current, Map<String, StringBuilder> continued) {
        continued.forEach((k, v) -> current.put(k, v.toString()));
        continued.clear();
    }
}
