package dev.vmforge.store;

import dev.vmforge.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The plugin's identity in every derivation key, so a new plugin never reuses old outputs. A release
 * is its version; a SNAPSHOT also carries the SHA-256 of its own jar, because its code changes while
 * its version does not (the jar is reproducible, so an unchanged build keeps its key).
 */
public final class PluginVersion {
    private static final String VERSION = load();

    private PluginVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        String version = "development";
        try (InputStream in = PluginVersion.class.getResourceAsStream("/dev/vmforge/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version", version);
            }
        } catch (IOException e) {
            return version;
        }
        return version.endsWith("-SNAPSHOT") ? version + "+" + ownJarHash() : version;
    }

    private static String ownJarHash() {
        try {
            Path location = Path.of(PluginVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(location)) {
                return "classes"; // running from target/classes (unit tests)
            }
            return Sha256.ofFile(location);
        } catch (Exception e) {
            return "unknown";
        }
    }
}
