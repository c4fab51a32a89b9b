package dev.vmforge.configure;

import dev.vmforge.BuildException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the configure step's output into a message naming the package whose maintainer script failed and
 * quoting what the script printed: dpkg prints {@code Setting up NAME (VERSION) ...}, then the postinst's
 * output, then {@code dpkg: error processing package NAME (--configure):} and the reason.
 */
public final class ConfigureFailure {
    static final int MAX_OUTPUT_LINES = 40;
    private static final Pattern ERROR = Pattern.compile("^dpkg: error processing package (\\S+) \\(--configure\\):");
    private static final Pattern SETTING_UP = Pattern.compile("^Setting up (\\S+) \\(");
    private static final Pattern PREINST = Pattern.compile("^vmforge: running preinst install of (\\S+)");

    private ConfigureFailure() {
    }

    /**
     * @param result the first line of the result file, e.g. {@code failed dpkg} or {@code failed preinst NAME}
     * @param output everything dpkg and the scripts printed
     * @param log    where the full output is kept, named in the message
     */
    public static BuildException of(String result, String output, Path log) {
        List<String> lines = List.of(output.split("\r?\n"));
        if (result.startsWith("failed preinst ")) {
            String name = result.substring("failed preinst ".length()).trim();
            return new BuildException("the maintainer script preinst of package " + name + " failed while the system"
                    + " was being configured" + quote(sectionAfter(lines, PREINST, name, null)) + "\nfull output: " + log
                    + "\nRemove the package from <operatingSystem><packages> or fix what its script needs.");
        }
        Set<String> failed = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = ERROR.matcher(line);
            if (m.find()) {
                failed.add(m.group(1));
            }
        }
        if (failed.isEmpty()) {
            return new BuildException("configuring the system's packages (" + result + ") failed"
                    + quote(tail(lines)) + "\nfull output: " + log);
        }
        // the first failure is the cause; later ones usually fail for depending on it
        String first = failed.iterator().next();
        String firstName = first.contains(":") ? first.substring(0, first.indexOf(':')) : first;
        List<String> section = sectionAfter(lines, SETTING_UP, firstName, first);
        return new BuildException("the maintainer script of package " + first + " failed while the system was being"
                + " configured (dpkg --configure -a)" + quote(section)
                + (failed.size() > 1 ? "\nalso not configured: " + String.join(", ", failed.stream().skip(1).toList()) : "")
                + "\nfull output: " + log
                + "\nRemove the package from <operatingSystem><packages> or fix what its script needs.");
    }

    /**
     * The lines from the last {@code start} line naming {@code name} up to and including dpkg's error for
     * {@code errorName} and its indented reason (or to the end when errorName is null).
     */
    static List<String> sectionAfter(List<String> lines, Pattern start, String name, String errorName) {
        int from = -1;
        int to = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = start.matcher(lines.get(i));
            if (m.find() && (m.group(1).equals(name) || m.group(1).startsWith(name + ":"))) {
                from = i;
            }
            Matcher e = ERROR.matcher(lines.get(i));
            if (errorName != null && e.find() && e.group(1).equals(errorName)) {
                to = i + 1;
                while (to < lines.size() && lines.get(to).startsWith(" ")) {
                    to++;
                }
                break;
            }
        }
        if (from < 0 || from >= to) {
            return tail(lines.subList(0, to));
        }
        return lines.subList(from, to);
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - MAX_OUTPUT_LINES), lines.size());
    }

    private static String quote(List<String> lines) {
        List<String> shown = new ArrayList<>(lines);
        if (shown.size() > MAX_OUTPUT_LINES) {
            shown = new ArrayList<>(shown.subList(shown.size() - MAX_OUTPUT_LINES, shown.size()));
            shown.add(0, "...");
        }
        if (shown.isEmpty()) {
            return "";
        }
        return "; its output:\n  " + String.join("\n  ", shown);
    }
}
