package dev.vmforge.os.pom;

import java.util.ArrayList;
import java.util.List;

/** {@code <vm>}. */
public class VmConfig {
    public Integer memorySize;
    public Integer cpus;
    public Boolean graphic;
    public List<String> portForwardings = new ArrayList<>();
    public List<ShareConfig> shares = new ArrayList<>();
    public String accelerator;
    public Boolean persistent;
    public Boolean fullBoot;
}
