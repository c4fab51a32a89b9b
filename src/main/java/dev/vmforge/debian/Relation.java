package dev.vmforge.debian;

import java.util.ArrayList;
import java.util.List;

/**
 * One package relation such as {@code libc6:any (>= 2.34)}.
 *
 * @param name           package (or virtual package) name
 * @param archQualifier  {@code any}, {@code native}, an architecture, or null when absent
 * @param operator       null when unversioned
 * @param version        null when unversioned
 */
public record Relation(String name, String archQualifier, VersionOperator operator, DebianVersion version) {

    public boolean isVersioned() {
        return operator != null;
    }

    /** Whether a package of this version satisfies the version part (always true when unversioned). */
    public boolean acceptsVersion(DebianVersion candidate) {
        return operator == null || (candidate != null && operator.test(candidate, version));
    }

    /**
     * Parses a relation field ({@code Depends}, {@code Provides}, ...) into AND-groups of OR-alternatives.
     * Alternatives restricted to other architectures ({@code [!amd64]}, {@code [i386]}) are dropped; a group
     * whose alternatives are all dropped disappears. Build profiles ({@code <!nocheck>}) are ignored.
     *
     * @param architecture the architecture being installed, e.g. {@code amd64}
     */
    public static List<List<Relation>> parseField(String field, String architecture) {
        List<List<Relation>> groups = new ArrayList<>();
        if (field == null || field.isBlank()) {
            return groups;
        }
        for (String group : field.split(",")) {
            if (group.isBlank()) {
                continue;
            }
            List<Relation> alternatives = new ArrayList<>(2);
            for (String alternative : group.split("\\|")) {
                Relation r = parseOne(alternative.strip(), architecture, field);
                if (r != null) {
                    alternatives.add(r);
                }
            }
            if (!alternatives.isEmpty()) {
                groups.add(List.copyOf(alternatives));
            }
        }
        return groups;
    }

    /** Parses one alternative; null when an architecture restriction excludes it. */
    static Relation parseOne(String text, String architecture, String field) {
        String s = text;
        int profile = indexOutsideParentheses(s, '<');
        if (profile >= 0) {
            s = s.substring(0, profile).strip();
        }
        int bracket = s.indexOf('[');
        if (bracket >= 0) {
            int end = s.indexOf(']', bracket);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed '[' in relation '" + text + "' of '" + field + "'");
            }
            if (!archMatches(s.substring(bracket + 1, end).strip(), architecture)) {
                return null;
            }
            s = (s.substring(0, bracket) + s.substring(end + 1)).strip();
        }
        String namepart = s;
        VersionOperator op = null;
        DebianVersion version = null;
        int paren = s.indexOf('(');
        if (paren >= 0) {
            int close = s.indexOf(')', paren);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '(' in relation '" + text + "' of '" + field + "'");
            }
            String constraint = s.substring(paren + 1, close).strip();
            int k = 0;
            while (k < constraint.length() && "<=>".indexOf(constraint.charAt(k)) >= 0) {
                k++;
            }
            op = VersionOperator.parse(constraint.substring(0, k));
            version = DebianVersion.parse(constraint.substring(k).strip());
            namepart = s.substring(0, paren).strip();
        }
        String qualifier = null;
        int colon = namepart.indexOf(':');
        if (colon >= 0) {
            qualifier = namepart.substring(colon + 1);
            namepart = namepart.substring(0, colon);
        }
        if (namepart.isEmpty()) {
            throw new IllegalArgumentException("empty package name in relation '" + text + "' of '" + field + "'");
        }
        return new Relation(namepart, qualifier, op, version);
    }

    private static int indexOutsideParentheses(String s, char wanted) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == wanted && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code amd64 arm64} lists allowed architectures; {@code !i386 !armel} lists excluded ones. */
    private static boolean archMatches(String list, String architecture) {
        boolean negated = false;
        boolean listed = false;
        for (String a : list.split("\\s+")) {
            if (a.startsWith("!")) {
                negated = true;
                if (matchesWildcard(a.substring(1), architecture)) {
                    return false;
                }
            } else if (matchesWildcard(a, architecture)) {
                listed = true;
            }
        }
        return negated || listed;
    }

    private static boolean matchesWildcard(String pattern, String architecture) {
        return pattern.equals(architecture) || pattern.equals("any")
                || (pattern.equals("linux-any") && !architecture.contains("-"))
                || (pattern.startsWith("any-") && pattern.substring(4).equals(architecture));
    }

    @Override
    public String toString() {
        return name + (archQualifier != null ? ":" + archQualifier : "")
                + (operator != null ? " (" + operator.symbol() + " " + version + ")" : "");
    }
}
