package dev.vmforge.os;

import dev.vmforge.os.pom.UserConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code <users>}: login accounts besides Debian's own. A uid not given is the first free one from 1000;
 * the primary group id defaults to the uid (a private group named after the user).
 */
final class UsersReader {
    private static final String ELEMENT = "operatingSystem/users/user";
    /** Debian policy 9.2.2: 0-99 are base-passwd's fixed accounts, 65534 is nobody, 65535 is (uid_t) -1. */
    static final int FIRST_UID = 100;
    static final int LAST_UID = 65533;
    private static final int FIRST_AUTOMATIC_UID = 1000;

    List<User> read(List<UserConfig> configs) {
        List<UserConfig> given = configs == null ? List.of() : configs;
        FirstUse<String> names = new FirstUse<>("user");
        FirstUse<Integer> uids = new FirstUse<>("user");
        for (int i = 0; i < given.size(); i++) {
            UserConfig c = given.get(i) == null ? new UserConfig() : given.get(i);
            String element = Values.item(ELEMENT, i);
            String name = Names.accountName(element + "/name", c.name);
            if (Names.SYSTEM_ACCOUNTS.contains(name)) {
                throw new InvalidConfigurationException(element + "/name", "'" + name + "' is a Debian system account"
                        + " that every system already has; choose another name, or use it in a service without declaring it");
            }
            names.claim(element + "/name", name, i, "name '" + name + "'", "give each user a distinct name");
            if (c.uid != null) {
                int uid = Values.inRange(element + "/uid", c.uid, 0, FIRST_UID, LAST_UID,
                        "a user's uid (0-99 and 65534 belong to Debian's system accounts)");
                uids.claim(element + "/uid", uid, i, "uid " + uid, "give each user a distinct uid");
            }
        }
        List<User> users = new ArrayList<>();
        int nextUid = FIRST_AUTOMATIC_UID;
        for (int i = 0; i < given.size(); i++) {
            UserConfig c = given.get(i) == null ? new UserConfig() : given.get(i);
            String element = Values.item(ELEMENT, i);
            String name = c.name.strip();
            int uid;
            if (c.uid != null) {
                uid = c.uid;
            } else {
                while (uids.isUsed(nextUid)) {
                    nextUid++;
                }
                uid = nextUid;
                uids.claim(element + "/uid", uid, i, "uid " + uid, "give each user a distinct uid");
            }
            int gid = Values.inRange(element + "/gid", c.gid, uid, 0, 65534, "a group id");
            String home = passwdField(element + "/home", Values.absolutePath(element + "/home", c.home, "/home/" + name));
            String shell = passwdField(element + "/shell", Values.absolutePath(element + "/shell", c.shell, "/bin/sh"));
            List<String> groups = new ArrayList<>();
            List<String> givenGroups = c.groups == null ? List.of() : c.groups;
            for (int g = 0; g < givenGroups.size(); g++) {
                String group = Names.accountName(Values.item(element + "/groups/group", g), givenGroups.get(g));
                if (!groups.contains(group)) {
                    groups.add(group);
                }
            }
            users.add(new User(name, uid, gid, home, shell, groups));
        }
        return users;
    }

    /** A field of /etc/passwd, where ':' separates the fields (line breaks are refused with every path). */
    private static String passwdField(String element, String path) {
        return Values.without(element, path, ':', "which separates the fields of /etc/passwd; choose a path without it");
    }
}
