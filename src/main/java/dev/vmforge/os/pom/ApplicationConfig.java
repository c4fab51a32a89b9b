package dev.vmforge.os.pom;

import java.util.ArrayList;
import java.util.List;

/** {@code <application>}. */
public class ApplicationConfig {
    public String directory;
    public String mainClass;
    public List<String> jvmArguments = new ArrayList<>();
}
