package dev.vmforge.os.pom;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code <service>}. */
public class ServiceConfig {
    public String name;
    public String command;
    public String user;
    public String workingDirectory;
    public Map<String, String> environment = new LinkedHashMap<>();
    public String restart;
}
