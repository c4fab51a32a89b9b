package dev.vmforge.os.pom;

/** {@code <start><waitFor>}. */
public class WaitForConfig {
    public String log;
    public Integer tcp;
    public HttpWaitConfig http;
}
