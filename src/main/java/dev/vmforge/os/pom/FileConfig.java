package dev.vmforge.os.pom;

/** {@code <file>}. */
public class FileConfig {
    public String source;
    public String target;
    public String mode;
    public Integer uid;
    public Integer gid;
}
