package dev.vmforge.vm;

import java.util.Locale;

/** The host operating system, as far as finding QEMU and picking an accelerator care. */
enum HostOs {
    LINUX, MAC, WINDOWS, OTHER;

    static HostOs current() {
        return of(System.getProperty("os.name", ""));
    }

    static HostOs of(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.contains("linux")) {
            return LINUX;
        }
        if (name.contains("mac") || name.contains("darwin")) {
            return MAC;
        }
        if (name.contains("windows")) {
            return WINDOWS;
        }
        return OTHER;
    }

    String executableName(String program) {
        return this == WINDOWS ? program + ".exe" : program;
    }
}
