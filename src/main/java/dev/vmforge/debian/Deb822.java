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
                String continuation = line.substring(1);
                String previous = current.get(lastName);
                current.put(lastName, previous.isEmpty() ? continuation : previous + "\n" + continuation);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(where + " line " + lineNo + ": expected 'Name: value' but found '" + line + "'");
            }
            lastName = line.substring(0, colon);
            current.put(lastName, line.substring(colon + 1).strip());
        }
        if (!current.isEmpty()) {
            paragraphs.add(new ControlParagraph(current));
        }
        return paragraphs;
    }
}
