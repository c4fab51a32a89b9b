package dev.vmforge.debian;

/**
 * A Debian package version {@code [epoch:]upstream[-revision]}, ordered exactly as
 * {@code dpkg --compare-versions}: epochs numerically, then upstream and revision with dpkg's
 * "verrevcmp" (non-digit runs compared char by char where {@code ~} sorts before everything, even
 * the end of the string, and letters before other characters; digit runs compared numerically).
 *
 * <p>Record equality is textual; use {@link #compareTo} for ordering ("1.0" and "1.00" compare equal).
 */
public record DebianVersion(int epoch, String upstream, String revision) implements Comparable<DebianVersion> {

    public DebianVersion {
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch");
        }
        if (upstream == null || upstream.isEmpty()) {
            throw new IllegalArgumentException("empty upstream version");
        }
        revision = revision == null ? "" : revision;
    }

    /** Parses {@code [epoch:]upstream[-revision]}; the revision is after the last hyphen. */
    public static DebianVersion parse(String text) {
        String s = text.strip();
        int epoch = 0;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            try {
                epoch = Integer.parseInt(s.substring(0, colon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad epoch in version '" + text + "'");
            }
            s = s.substring(colon + 1);
        }
        int hyphen = s.lastIndexOf('-');
        String upstream = hyphen >= 0 ? s.substring(0, hyphen) : s;
        String revision = hyphen >= 0 ? s.substring(hyphen + 1) : "";
        if (upstream.isEmpty()) {
            throw new IllegalArgumentException("empty upstream version in '" + text + "'");
        }
        return new DebianVersion(epoch, upstream, revision);
    }

    @Override
    public int compareTo(DebianVersion other) {
        if (epoch != other.epoch) {
            return Integer.compare(epoch, other.epoch);
        }
        int c = compareFragment(upstream, other.upstream);
        return c != 0 ? c : compareFragment(revision, other.revision);
    }

    /** dpkg's verrevcmp: result only meaningful by sign. */
    static int compareFragment(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (i < a.length() && isDigit(a.charAt(i)) && j < b.length() && isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }

    /** Weight of the character at index (end of string and digits weigh 0). */
    private static int order(String s, int index) {
        if (index >= s.length()) {
            return 0;
        }
        char c = s.charAt(index);
        if (isDigit(c)) {
            return 0;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public String toString() {
        return (epoch != 0 ? epoch + ":" : "") + upstream + (revision.isEmpty() ? "" : "-" + revision);
    }
}
