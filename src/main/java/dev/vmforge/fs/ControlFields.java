package dev.vmforge.fs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One deb822 paragraph (a package's {@code control} file, a {@code status} entry): fields in their
 * original order, looked up case-insensitively as Debian policy says. Multi-line values keep their
 * continuation lines verbatim (each starting with a space) so that writing them back is lossless.
 */
public final class ControlFields {
    private final Map<String, String> byLowerName;
    private final List<String> names;

    private ControlFields(Map<String, String> byLowerName, List<String> names) {
        this.byLowerName = byLowerName;
        this.names = names;
    }

    /**
     * Parses the first paragraph of {@code text}.
     *
     * @throws IllegalArgumentException for a line that is neither {@code Name: value} nor a continuation
     */
    public static ControlFields parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        String current = null;
        StringBuilder value = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                if (current != null || !names.isEmpty()) {
                    break; // end of the first paragraph
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (current == null) {
                    throw new IllegalArgumentException("continuation line before any field: '" + line + "'");
                }
                value.append('\n').append(line);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("not a 'Field: value' line: '" + line + "'");
            }
            if (current != null) {
                put(values, names, current, value.toString());
            }
            current = line.substring(0, colon);
            value.setLength(0);
            value.append(line.substring(colon + 1).strip());
        }
        if (current != null) {
            put(values, names, current, value.toString());
        }
        return new ControlFields(Collections.unmodifiableMap(values), Collections.unmodifiableList(names));
    }

    private static void put(Map<String, String> values, List<String> names, String name, String value) {
        if (values.put(name.toLowerCase(Locale.ROOT), value) == null) {
            names.add(name);
        }
    }

    /** The value of a field, or null. Multi-line values contain {@code \n} followed by the continuation lines. */
    public String get(String name) {
        return byLowerName.get(name.toLowerCase(Locale.ROOT));
    }

    public String get(String name, String defaultValue) {
        String v = get(name);
        return v == null ? defaultValue : v;
    }

    /** Field names in their original spelling and order. */
    public List<String> names() {
        return names;
    }

    /** A copy with a field set (replacing it in place, or appended). */
    public ControlFields with(String name, String value) {
        Map<String, String> values = new LinkedHashMap<>(byLowerName);
        List<String> newNames = new ArrayList<>(names);
        if (values.put(name.toLowerCase(Locale.ROOT), value) == null) {
            newNames.add(name);
        }
        return new ControlFields(Collections.unmodifiableMap(values), Collections.unmodifiableList(newNames));
    }

    /** A copy without a field. */
    public ControlFields without(String name) {
        Map<String, String> values = new LinkedHashMap<>(byLowerName);
        List<String> newNames = new ArrayList<>(names);
        if (values.remove(name.toLowerCase(Locale.ROOT)) != null) {
            newNames.removeIf(n -> n.equalsIgnoreCase(name));
        }
        return new ControlFields(Collections.unmodifiableMap(values), Collections.unmodifiableList(newNames));
    }

    /** The paragraph as deb822 text, each field on its own line(s), ending with a newline (no blank line). */
    public String format() {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            appendField(out, name, get(name));
        }
        return out.toString();
    }

    static void appendField(StringBuilder out, String name, String value) {
        out.append(name).append(':');
        if (!value.isEmpty() && !value.startsWith("\n")) {
            out.append(' ');
        }
        out.append(value).append('\n');
    }

    @Override
    public String toString() {
        return format();
    }
}
