package dev.vmforge.system;

/** Quoting for the POSIX shell scripts this package generates. */
final class Shell {
    private Shell() {
    }

    /** A single-quoted word that the shell reads back as exactly {@code text} ({@code '} becomes {@code '\''}). */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
