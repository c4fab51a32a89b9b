package dev.vmforge.os;

import dev.vmforge.fs.Paths;
import dev.vmforge.fs.UnsafePathException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks every configuration block shares: blank-means-default, fixed choices, absolute guest
 * paths, project files, numbers in a range, ports, sizes, modes and environment variables.
 * Every failure is one {@link InvalidConfigurationException} naming the element and the fix.
 */
final class Values {
    private static final Pattern SIZE = Pattern.compile("(\\d+)(?:([KMGT])(?:iB)?)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CONTROL_CHARACTER = Pattern.compile("\\p{Cntrl}");
    /**
     * What the kernel command line cannot carry to the guest exactly: GRUB passes quotes and backslashes on
     * escaped, Linux takes {@code "} as quoting, and the guest's init splits the line at blanks.
     */
    private static final Pattern NOT_ON_KERNEL_COMMAND_LINE = Pattern.compile("[\\s\"'\\\\]");

    private Values() {
    }

    /** The path of the {@code index}-th (0-based) element of a list, written 1-based: {@code user[2]}. */
    static String item(String listElement, int index) {
        return listElement + "[" + (index + 1) + "]";
    }

    /** Maven injects {@code null} for absent elements and may keep surrounding blanks; both mean "not given". */
    static String given(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** Returns {@code value} when {@code valid}, else fails with {@code 'value' problemAndFix}. */
    static String check(String element, String value, boolean valid, String problemAndFix) {
        if (!valid) {
            throw new InvalidConfigurationException(element, "'" + value + "' " + problemAndFix);
        }
        return value;
    }

    static String required(String element, String text, String fix) {
        String value = given(text);
        if (value == null) {
            throw new InvalidConfigurationException(element, "is required; " + fix);
        }
        return value;
    }

    /** One of a fixed set of lower-case spellings, compared case-insensitively. */
    static String oneOf(String element, String text, String defaultValue, List<String> allowed) {
        String value = given(text);
        if (value == null) {
            return defaultValue;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw new InvalidConfigurationException(element,
                    "'" + value + "' is not allowed; use one of " + String.join(", ", allowed));
        }
        return lower;
    }

    /** An enum constant spelled as its lower-case name with {@code -} for {@code _} ({@code ON_FAILURE}: {@code on-failure}). */
    static <E extends Enum<E>> E choice(String element, String text, E defaultValue) {
        return choice(element, text, defaultValue, constant -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    static <E extends Enum<E>> E choice(String element, String text, E defaultValue, Function<E, String> spelling) {
        List<String> spellings = new ArrayList<>();
        E[] constants = defaultValue.getDeclaringClass().getEnumConstants();
        for (E constant : constants) {
            spellings.add(spelling.apply(constant));
        }
        String value = given(text);
        // The Java constant name is accepted too, so a -Dvm.x=ON_FAILURE override works.
        for (E constant : constants) {
            if (value != null && constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        String chosen = oneOf(element, text, spelling.apply(defaultValue), spellings);
        return constants[spellings.indexOf(chosen)];
    }

    static boolean flag(Boolean value, boolean defaultValue) {
        return value == null ? defaultValue : value;
    }

    /** A number within {@code [min, max]}, or the default when not given. */
    static int inRange(String element, Integer value, int defaultValue, int min, int max, String meaning) {
        if (value == null) {
            return defaultValue;
        }
        if (value < min || value > max) {
            throw new InvalidConfigurationException(element,
                    value + " is out of range; " + meaning + " must be between " + min + " and " + max);
        }
        return value;
    }

    /** Refuses control characters (newlines, tabs, NUL): the value ends up in a generated file or script line. */
    static String singleLine(String element, String value) {
        if (value != null && CONTROL_CHARACTER.matcher(value).find()) {
            throw new InvalidConfigurationException(element,
                    "contains a line break or another control character; write it on one line without them");
        }
        return value;
    }

    /**
     * A value that goes on the kernel command line as one word (a kernel argument, a 9p share's target): refused
     * when it has a blank, a quote or a backslash, which no boot path passes on unchanged. Everything else
     * reaches the guest as written ({@code image.GrubConfig} quotes it for GRUB).
     */
    static String kernelWord(String element, String value, String fix) {
        singleLine(element, value);
        Matcher character = NOT_ON_KERNEL_COMMAND_LINE.matcher(value);
        if (character.find()) {
            String what = switch (character.group().charAt(0)) {
                case '"', '\'' -> "a quote";
                case '\\' -> "a backslash";
                default -> "a blank";
            };
            throw new InvalidConfigurationException(element, "'" + value + "' contains " + what + ", which the kernel"
                    + " command line cannot carry to the system unchanged; " + fix);
        }
        return value;
    }

    /** Refuses {@code character} in {@code value}, saying why ({@code reason}) and what to do. */
    static String without(String element, String value, char character, String reason) {
        if (value.indexOf(character) >= 0) {
            throw new InvalidConfigurationException(element, "'" + value + "' contains '" + character + "', " + reason);
        }
        return value;
    }

    /** An absolute path inside the built system, normalized ({@code //} and {@code .} removed); {@code ..} refused. */
    static String absolutePath(String element, String text, String defaultValue) {
        String value = given(text);
        if (value == null) {
            return defaultValue;
        }
        if (!value.startsWith("/")) {
            throw new InvalidConfigurationException(element,
                    "'" + value + "' is a relative path; write an absolute path in the system, e.g. /" + value);
        }
        singleLine(element, value);
        try {
            return "/" + Paths.normalize(value);
        } catch (UnsafePathException e) {
            throw new InvalidConfigurationException(element,
                    "'" + value + "' contains '..'; write the absolute path without '..' segments");
        }
    }

    /** An absolute path in the system that names a file or directory, so not {@code /} itself. */
    static String absolutePathBelowRoot(String element, String text) {
        String path = absolutePath(element, required(element, text, "write an absolute path in the system, e.g. /etc/motd"), null);
        if (path.equals("/")) {
            throw new InvalidConfigurationException(element, "'/' is the root directory itself; name a path below it");
        }
        return path;
    }

    enum Kind { FILE, DIRECTORY }

    /** A project file or directory, resolved against the project's base directory, that must exist. */
    static Path projectPath(String element, Path baseDirectory, String text, Kind kind) {
        String value = required(element, text, "name a " + (kind == Kind.FILE ? "file" : "directory")
                + " of the project, relative to its base directory");
        Path resolved = baseDirectory.resolve(value).toAbsolutePath().normalize();
        boolean found = kind == Kind.FILE ? Files.isRegularFile(resolved) : Files.isDirectory(resolved);
        if (!found) {
            String what = kind == Kind.FILE ? "a regular file" : "a directory";
            String problem = Files.exists(resolved) ? "is not " + what : "does not exist";
            throw new InvalidConfigurationException(element, "'" + value + "' (resolved to " + resolved + ") "
                    + problem + "; create it or correct the path (relative paths start at " + baseDirectory + ")");
        }
        return resolved;
    }

    /** A TCP/UDP port number written as text. */
    static int port(String element, String text) {
        return port(element, text, 1, "use a number from 1 to 65535");
    }

    /** A TCP port from {@code min} to 65535; {@code range} says which numbers are allowed. */
    static int port(String element, String text, int min, String range) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= min && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidConfigurationException(element, "'" + text.strip() + "' is not a port; " + range);
    }

    /** Environment variables in declaration order; names as POSIX shells accept them, values on one line. */
    static Map<String, String> environment(String element, Map<String, String> variables) {
        Map<String, String> result = new LinkedHashMap<>();
        if (variables == null) {
            return result;
        }
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            String name = variable.getKey();
            String path = element + "/" + name;
            if (name == null || !ENVIRONMENT_NAME.matcher(name).matches()) {
                throw new InvalidConfigurationException(path, "'" + name + "' is not a valid environment variable name;"
                        + " use letters, digits and '_', not starting with a digit (e.g. JAVA_OPTS)");
            }
            String value = variable.getValue() == null ? "" : variable.getValue();
            result.put(name, singleLine(path, value));
        }
        return result;
    }

    /** {@code 512M}, {@code 2G}, {@code 1024K}, {@code 1T} (binary units, optional {@code iB}) or plain bytes. */
    static long size(String element, String text) {
        String value = required(element, text, "write a size such as 512M or 2G");
        Matcher matcher = SIZE.matcher(value);
        if (!matcher.matches()) {
            throw new InvalidConfigurationException(element, "'" + value + "' is not a size; write a number of bytes"
                    + " or a number followed by K, M, G or T (binary units: 1K = 1024), e.g. 512M or 2G");
        }
        String unit = matcher.group(2) == null ? "" : matcher.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        try {
            long number = Long.parseLong(matcher.group(1));
            if (number > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(element, "'" + value + "' is too large; write a smaller size such as 2G");
        }
    }

    /** Permission bits in octal: {@code 0644}, {@code 644} or {@code 0o755}; at most {@code 07777}. */
    static int mode(String element, String text) {
        String value = required(element, text, "write octal permission bits such as 0644");
        String digits = value.regionMatches(true, 0, "0o", 0, 2) ? value.substring(2) : value;
        if (!digits.matches("[0-7]{1,6}")) {
            throw new InvalidConfigurationException(element, "'" + value + "' is not an octal mode;"
                    + " write octal permission bits such as 0644 or 0755");
        }
        int mode = Integer.parseInt(digits, 8);
        if (mode > 07777) {
            throw new InvalidConfigurationException(element, "'" + value + "' is larger than 07777;"
                    + " write only permission bits (setuid/setgid/sticky + rwx), e.g. 0644");
        }
        return mode;
    }
}
