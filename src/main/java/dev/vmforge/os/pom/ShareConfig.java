package dev.vmforge.os.pom;

/** {@code <share>}. */
public class ShareConfig {
    public String source;
    public String target;
    public Boolean writable;
}
