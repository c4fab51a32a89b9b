package dev.vmforge.os.pom;

/** {@code <image>}. */
public class ImageConfig {
    public String format;
    public String size;
    public String partitionTable;
    public String firmware;
    public String fileSystemType;
    public String fileSystemLabel;
    public Boolean volatileRoot;
}
