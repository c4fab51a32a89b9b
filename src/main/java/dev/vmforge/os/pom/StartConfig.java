package dev.vmforge.os.pom;

/** {@code <start>}: used by vm:start, vm:stop and vm:run. */
public class StartConfig {
    public String id;
    public String boot;
    public WaitForConfig waitFor;
    public Integer timeout;
    public Integer stopTimeout;
}
