package dev.vmforge.os.pom;

/** {@code <start><waitFor><http>}. */
public class HttpWaitConfig {
    public Integer port;
    public String path;
}
