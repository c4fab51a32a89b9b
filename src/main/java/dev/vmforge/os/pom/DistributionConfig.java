package dev.vmforge.os.pom;

import java.util.ArrayList;
import java.util.List;

/** {@code <distribution>}: either mirror + suite, or a list of sources. */
public class DistributionConfig {
    public String mirror;
    public String suite;
    public List<SourceConfig> sources = new ArrayList<>();
    public List<String> components = new ArrayList<>();
    public String architecture;
    public String keyring;
}
