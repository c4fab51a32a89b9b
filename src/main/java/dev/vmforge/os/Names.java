package dev.vmforge.os;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The naming rules of the things the configuration names: packages, hosts, accounts, services, zones. */
final class Names {
    /** Debian policy 5.6.1, without version pins or {@code :arch} qualifiers (pins belong in the lock file). */
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** Debian's adduser default NAME_REGEX (with the trailing {@code $} of machine accounts). */
    private static final Pattern ACCOUNT = Pattern.compile("[a-z_][a-z0-9_-]*[$]?");
    private static final int ACCOUNT_MAX_LENGTH = 32;
    /**
     * A service name becomes a file name (/var/log/NAME.log, NAME.run, a systemd unit) and a word of inittab and of
     * the container's init: no option-like leading {@code -}, no hidden {@code .} files.
     */
    private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** What the builder's mke2fs and GRUB's {@code search --label} read the same way. */
    private static final Pattern FILE_SYSTEM_LABEL = Pattern.compile("[A-Za-z0-9._-]{1,16}");
    private static final Pattern TIMEZONE = Pattern.compile("[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*");

    /**
     * The accounts Debian's base-passwd creates in every system. They cannot be declared again, and services
     * may run as them without declaring them.
     */
    static final Set<String> SYSTEM_ACCOUNTS = Set.of("root", "daemon", "bin", "sys", "sync", "games", "man", "lp",
            "mail", "news", "uucp", "proxy", "www-data", "backup", "list", "irc", "_apt", "nobody");

    private Names() {
    }

    static String packageName(String element, String text) {
        String name = Values.required(element, text, "write a Debian package name such as busybox-static");
        String hint = name.contains("=") || name.contains(":")
                ? "write the bare package name; versions are pinned by vm-packages.lock (mvn vm:resolve)"
                  + " and the architecture by <distribution><architecture>"
                : "Debian package names are lower-case letters, digits and + . -, at least two characters,"
                  + " starting with a letter or digit (e.g. busybox-static)";
        return Values.check(element, name, PACKAGE.matcher(name).matches(), "is not a Debian package name; " + hint);
    }

    /** RFC 1123: dot-separated labels of letters, digits and inner hyphens, each at most 63, in all at most 253. */
    static String hostName(String element, String name) {
        boolean valid = name.length() <= 253 && !name.startsWith(".") && !name.endsWith(".");
        for (String label : name.split("\\.", -1)) {
            valid &= HOST_LABEL.matcher(label).matches();
        }
        return Values.check(element, name, valid, "is not a valid host name; use letters,"
                + " digits and hyphens (not first or last), at most 63 per dot-separated label, e.g. demo-vm");
    }

    /** The default host name: the artifactId lower-cased, other characters turned into hyphens. */
    static String hostNameFrom(String artifactId) {
        String name = artifactId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (name.length() > 63) {
            name = name.substring(0, 63).replaceAll("-+$", "");
        }
        return name.isEmpty() ? "localhost" : name;
    }

    /** A user or group name as Debian's adduser accepts it. */
    static String accountName(String element, String text) {
        String name = Values.required(element, text, "write an account name such as app");
        return Values.check(element, name, name.length() <= ACCOUNT_MAX_LENGTH && ACCOUNT.matcher(name).matches(),
                "is not a valid account name; use at most " + ACCOUNT_MAX_LENGTH
                + " lower-case letters, digits, '_' and '-', starting with a letter or '_' (e.g. app)");
    }

    static String serviceName(String element, String text) {
        String name = Values.required(element, text, "give the service a name such as hello");
        return Values.check(element, name, SERVICE.matcher(name).matches(),
                "is not a valid service name; it becomes a file name, so use letters, digits, '.', '_' and '-' only,"
                + " starting with a letter or digit (e.g. hello-web)");
    }

    /** {@code UTC} or an {@code Area/City} name of the tz database, as found under /usr/share/zoneinfo. */
    static String timezone(String element, String text) {
        String zone = Values.given(text);
        if (zone == null) {
            return "UTC";
        }
        return Values.check(element, zone, TIMEZONE.matcher(zone).matches() && (zone.contains("/") || zone.equals("UTC")),
                "is not a time zone name; write UTC or a tz database name Area/City such as Europe/Paris"
                + " or America/New_York");
    }

    /** The label of an ext2/3/4 file system: at most 16 characters (it may appear in fstab as LABEL=). */
    static String fileSystemLabel(String element, String text) {
        String label = Values.given(text);
        if (label == null) {
            return "root";
        }
        return Values.check(element, label, FILE_SYSTEM_LABEL.matcher(label).matches(),
                "is not a usable file system label; use 1 to 16 letters, digits, '.', '_' or '-', e.g. root");
    }
}
