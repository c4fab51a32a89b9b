package dev.vmforge.os;

import java.util.List;

/** A login account generated into /etc/passwd, /etc/group and /etc/shadow (password locked). */
public record User(String name, int uid, int gid, String home, String shell, List<String> groups) {
    public User {
        groups = List.copyOf(groups);
    }
}
