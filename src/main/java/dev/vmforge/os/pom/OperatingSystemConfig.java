package dev.vmforge.os.pom;

import java.util.ArrayList;
import java.util.List;

/** {@code <operatingSystem>}. */
public class OperatingSystemConfig {
    public String hostName;
    public DistributionConfig distribution;
    public String kernel;
    public List<String> kernelArguments = new ArrayList<>();
    public String base;
    public List<String> packages = new ArrayList<>();
    public Boolean installRecommends;
    public List<UserConfig> users = new ArrayList<>();
    public List<FileConfig> files = new ArrayList<>();
    public ApplicationConfig application;
    public List<ServiceConfig> services = new ArrayList<>();
    public String network;
    public String timezone;
}
