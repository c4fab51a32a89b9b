package dev.vmforge.os.pom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code <docker>}. */
public class DockerConfig {
    public String name;
    public String format;
    public List<String> entrypoint = new ArrayList<>();
    public List<String> ports = new ArrayList<>();
    public Map<String, String> environment = new LinkedHashMap<>();
    public Map<String, String> labels = new LinkedHashMap<>();
    /** More tags that vm:push-docker-image pushes the image under. */
    public List<String> tags = new ArrayList<>();
    public Boolean allowInsecureRegistries;
}
