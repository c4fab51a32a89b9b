package dev.vmforge.os.pom;

import java.util.ArrayList;
import java.util.List;

/** {@code <user>}. */
public class UserConfig {
    public String name;
    public Integer uid;
    public Integer gid;
    public String home;
    public String shell;
    public List<String> groups = new ArrayList<>();
}
