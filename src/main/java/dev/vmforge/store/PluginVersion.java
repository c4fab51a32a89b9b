package dev.vmforge.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The plugin's own version: part of every derivation key, so a new plugin never reuses old outputs. */
final class PluginVersion {
    private static final String VERSION = load();

    private PluginVersion() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = PluginVersion.class.getResourceAsStream("/dev/vmforge/version.properties")) {
            if (in == null) {
                return "development";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "development");
        } catch (IOException e) {
            return "development";
        }
    }
}
