package dev.vmforge.os.pom;

/** {@code <source>} inside {@code <distribution><sources>}. */
public class SourceConfig {
    public String mirror;
    public String suite;
}
