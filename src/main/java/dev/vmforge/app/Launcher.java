package dev.vmforge.app;

import dev.vmforge.ShellTemplate;

import java.util.List;

/**
 * {@code DIRECTORY/bin/NAME}, the application's launcher ({@code launcher.sh}): the same program in the disk image,
 * the container and the run-vm script's 9p share; only the jars' paths differ. Every value is quoted, so a JVM
 * argument or a manifest's Main-Class cannot break out of its word.
 */
public final class Launcher {
    private Launcher() {
    }

    /** @param classpath the jars' paths in the guest, the application's first */
    public static String text(List<String> jvmArguments, List<String> classpath, String mainClass) {
        return ShellTemplate.load(Launcher.class, "launcher.sh")
                .words("JVM_ARGUMENTS", jvmArguments)
                .word("CLASSPATH", String.join(":", classpath))
                .word("MAIN_CLASS", mainClass)
                .render();
    }
}
