package dev.vmforge.mojo;

import java.io.File;
import java.nio.file.Path;

/** Where the shared cache is: {@code vm.cacheDirectory}, else {@code $XDG_CACHE_HOME/vm-maven-plugin}, else {@code ~/.cache/vm-maven-plugin}. */
final class CacheLocation {
    private CacheLocation() {
    }

    static Path of(File configured) {
        if (configured != null) {
            return configured.toPath().toAbsolutePath();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("vm-maven-plugin");
    }
}
