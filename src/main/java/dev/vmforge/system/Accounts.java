package dev.vmforge.system;

import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.os.User;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The account databases ({@code /etc/passwd}, {@code /etc/group}, {@code /etc/shadow}) of the system:
 * a base set (what the packages shipped, else base-passwd's master files, else a built-in copy of them),
 * merged with the users declared in the POM. A declared user replaces a base entry of the same name.
 * Every password is locked: system accounts and root get {@code *}, declared users {@code !}
 * (see {@link BusyboxInit} for the kernel-command-line debug shell instead of a root password).
 */
final class Accounts {
    static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]*\\$?");
    /** Debian's range for dynamically allocated system groups (adduser --system). */
    private static final int SYSTEM_GID_LOW = 100;
    private static final int SYSTEM_GID_HIGH = 999;

    /** base-passwd 3.6.1's passwd.master, used when the tree has neither /etc/passwd nor base-passwd. */
    static final String BASE_PASSWD = """
            root:x:0:0:root:/root:/bin/bash
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            bin:x:2:2:bin:/bin:/usr/sbin/nologin
            sys:x:3:3:sys:/dev:/usr/sbin/nologin
            sync:x:4:65534:sync:/bin:/bin/sync
            games:x:5:60:games:/usr/games:/usr/sbin/nologin
            man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
            lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
            mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
            news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
            uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
            proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
            www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
            backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
            list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
            irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
            _apt:x:42:65534::/nonexistent:/usr/sbin/nologin
            nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
            """;

    /** base-passwd 3.6.1's group.master. */
    static final String BASE_GROUP = """
            root:x:0:
            daemon:x:1:
            bin:x:2:
            sys:x:3:
            adm:x:4:
            tty:x:5:
            disk:x:6:
            lp:x:7:
            mail:x:8:
            news:x:9:
            uucp:x:10:
            man:x:12:
            proxy:x:13:
            kmem:x:15:
            dialout:x:20:
            fax:x:21:
            voice:x:22:
            cdrom:x:24:
            floppy:x:25:
            tape:x:26:
            sudo:x:27:
            audio:x:29:
            dip:x:30:
            www-data:x:33:
            backup:x:34:
            operator:x:37:
            list:x:38:
            irc:x:39:
            src:x:40:
            shadow:x:42:
            utmp:x:43:
            video:x:44:
            sasl:x:45:
            plugdev:x:46:
            staff:x:50:
            games:x:60:
            users:x:100:
            nogroup:x:65534:
            """;

    record Passwd(String name, int uid, int gid, String gecos, String home, String shell) {
        String line() {
            return name + ":x:" + uid + ":" + gid + ":" + gecos + ":" + home + ":" + shell;
        }
    }

    record Group(String name, int gid, List<String> members) {
        String line() {
            return name + ":x:" + gid + ":" + String.join(",", members);
        }
    }

    /** Users by name, in file order. */
    final Map<String, Passwd> users = new LinkedHashMap<>();
    /** Groups by name, in file order. */
    final Map<String, Group> groups = new LinkedHashMap<>();
    /** Lines of an existing /etc/shadow by user name, kept as they are. */
    final Map<String, String> shadow = new LinkedHashMap<>();
    /** Names declared in the POM (their password is '!'). */
    private final List<String> declared = new ArrayList<>();

    static Accounts parse(String passwd, String group, String shadowText) {
        Accounts a = new Accounts();
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 7 && !line.startsWith("#")) {
                a.users.put(f[0], new Passwd(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], f[5], f[6]));
            }
        }
        for (String line : group.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length >= 4 && !line.startsWith("#")) {
                List<String> members = f[3].isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(f[3].split(",")));
                a.groups.put(f[0], new Group(f[0], Integer.parseInt(f[2]), members));
            }
        }
        for (String line : shadowText.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                a.shadow.put(line.substring(0, colon), line);
            }
        }
        return a;
    }

    /** Adds or replaces a declared user, its primary group (gid, named after the user if new) and memberships. */
    void declare(User user) {
        String where = "users/user[" + user.name() + "]";
        if (user.name() == null || !NAME.matcher(user.name()).matches() || user.name().length() > 32) {
            throw new InvalidConfigurationException("users/user/name", "'" + user.name()
                    + "' is not a valid user name: use lower-case letters, digits, '_' and '-', starting with a letter");
        }
        for (Passwd other : users.values()) {
            if (other.uid() == user.uid() && !other.name().equals(user.name())) {
                throw new InvalidConfigurationException(where + "/uid", "uid " + user.uid() + " is already used by '"
                        + other.name() + "'; choose another uid (1000 and above are free)");
            }
        }
        Optional<Group> primary = groupByGid(user.gid());
        if (primary.isEmpty()) {
            Group sameName = groups.get(user.name());
            if (sameName != null) {
                throw new InvalidConfigurationException(where + "/gid", "a group '" + user.name()
                        + "' already exists with gid " + sameName.gid() + "; set <gid>" + sameName.gid() + "</gid>");
            }
            groups.put(user.name(), new Group(user.name(), user.gid(), new ArrayList<>()));
        }
        Passwd old = users.get(user.name());
        String home = passwdField(where + "/home", user.home() == null || user.home().isEmpty()
                ? "/home/" + user.name() : user.home());
        String shell = passwdField(where + "/shell", user.shell() == null || user.shell().isEmpty()
                ? "/bin/sh" : user.shell());
        users.put(user.name(), new Passwd(user.name(), user.uid(), user.gid(), old == null ? "" : old.gecos(), home, shell));
        for (String g : user.groups()) {
            Group group = groups.get(g);
            if (group == null) {
                if (!NAME.matcher(g).matches()) {
                    throw new InvalidConfigurationException(where + "/groups", "'" + g + "' is not a valid group name");
                }
                group = new Group(g, freeSystemGid(where), new ArrayList<>());
                groups.put(g, group);
            }
            if (!group.members().contains(user.name())) {
                group.members().add(user.name());
            }
        }
        declared.add(user.name());
    }

    /** A field of a passwd line: ':' would start the next field, a line break the next entry. */
    private static String passwdField(String element, String value) {
        if (value.indexOf(':') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new InvalidConfigurationException(element, "'" + value.replace("\n", "\\n") + "' contains ':' or a"
                    + " line break, which would break /etc/passwd; choose a path without them");
        }
        return value;
    }

        Optional<Group> groupByGid(int gid) {
        return groups.values().stream().filter(g -> g.gid() == gid).findFirst();
    }

    private int freeSystemGid(String where) {
        for (int gid = SYSTEM_GID_HIGH; gid >= SYSTEM_GID_LOW; gid--) {
            if (groupByGid(gid).isEmpty()) {
                return gid;
            }
        }
        throw new InvalidConfigurationException(where + "/groups", "no free system gid left between 100 and 999");
    }

    String passwdText() {
        StringBuilder out = new StringBuilder();
        users.values().forEach(u -> out.append(u.line()).append('\n'));
        return out.toString();
    }

    String groupText() {
        StringBuilder out = new StringBuilder();
        groups.values().forEach(g -> out.append(g.line()).append('\n'));
        return out.toString();
    }

    /**
     * One shadow line per user: an existing line is kept unless the user was declared in the POM;
     * new lines are locked. {@code lastChangeDay} is days since the epoch (from the build's fixed mtime).
     */
    String shadowText(long lastChangeDay) {
        StringBuilder out = new StringBuilder();
        for (Passwd u : users.values()) {
            String existing = shadow.get(u.name());
            if (existing != null && !declared.contains(u.name())) {
                out.append(existing);
            } else {
                String locked = declared.contains(u.name()) ? "!" : "*";
                out.append(u.name()).append(':').append(locked).append(':').append(lastChangeDay).append(":0:99999:7:::");
            }
            out.append('\n');
        }
        return out.toString();
    }
}
