package dev.vmforge.debian;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One paragraph of a deb822 control file (Packages, Release, .sources, DEBIAN/control):
 * fields in file order; names are case-insensitive as in Debian policy.
 * Multi-line values keep their continuation lines joined by {@code \n} (leading space removed).
 */
public final class ControlParagraph {
    private final Map<String, String> fields; // lower-case name -> value
    private final Map<String, String> names;  // lower-case name -> name as written

    ControlParagraph(Map<String, String> fieldsAsWritten) {
        Map<String, String> f = new LinkedHashMap<>();
        Map<String, String> n = new LinkedHashMap<>();
        fieldsAsWritten.forEach((k, v) -> {
            f.put(k.toLowerCase(Locale.ROOT), v);
            n.put(k.toLowerCase(Locale.ROOT), k);
        });
        this.fields = Collections.unmodifiableMap(f);
        this.names = Collections.unmodifiableMap(n);
    }

    /** The field's value, or null when absent. */
    public String get(String name) {
        return fields.get(name.toLowerCase(Locale.ROOT));
    }

    public String get(String name, String defaultValue) {
        String v = get(name);
        return v == null ? defaultValue : v;
    }

    public boolean has(String name) {
        return fields.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Field names as written, in file order. */
    public Iterable<String> names() {
        return names.values();
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
