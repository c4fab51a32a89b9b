package dev.vmforge;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** POSIX sh quoting: what a generated script or a logged command line needs to be pasted back into a shell. */
public final class ShellQuoting {
    /** Words made only of these characters mean the same quoted or not. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuoting() {
    }

    /** One word, single-quoted unless that is unnecessary; a single quote becomes {@code '\''}. */
    public static String quote(String word) {
        if (!word.isEmpty() && SAFE.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The words joined by spaces, each quoted. */
    public static String join(List<String> words) {
        return words.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }
}
