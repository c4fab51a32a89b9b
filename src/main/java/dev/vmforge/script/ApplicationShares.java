package dev.vmforge.script;

import dev.vmforge.BuildException;
import dev.vmforge.app.Launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How {@code <application>} reaches the guest without being part of its disk: the jars stay on the host and are
 * read over 9p, so after a code change {@code mvn package} and a new run of the script are enough.
 *
 * <ul>
 *   <li>Each jar is reached through a read-only share of a <em>root</em> directory mounted at
 *       {@code /mnt/vmforge/TAG}: the local Maven repository for the dependencies below it (one share for all of
 *       them), the project jar's directory ({@code target/}), and the directory of any other dependency (a
 *       sibling module's {@code target/}). Jars are not linked into one directory because QEMU's local 9p
 *       backend does not follow symbolic links on the host: the guest would see links to host paths it lacks.</li>
 *   <li>A generated directory on the host ({@code target/vm/app}) holding {@code bin/NAME}, a launcher with the
 *       guest paths of those jars, is shared read-only at the application's directory (e.g. {@code /opt/app}):
 *       the same launcher path as in the disk image, so the system's service for the application is unchanged.</li>
 * </ul>
 *
 * @param shares       the launcher's directory first, then the jar roots
 * @param launcherName file name under {@code bin/}
 * @param launcherText the launcher script
 */
record ApplicationShares(List<NinePShare> shares, String launcherName, String launcherText) {
    /** Where the jar roots are mounted in the guest, each in a directory named after its tag. */
    static final String GUEST_ROOTS = "/mnt/vmforge";

    static ApplicationShares plan(RunVmScriptSpec.ApplicationSpec app, Path launcherDirectory, ShareTags tags) {
        requireFile(app.jar(), "the project's jar", "run mvn package first (vm:run-vm-script reads the packaged jar)");
        for (Path dependency : app.dependencies()) {
            requireFile(dependency, "the runtime dependency", "run mvn dependency:resolve, or mvn package, first");
        }
        Map<Path, NinePShare> roots = new LinkedHashMap<>();
        List<String> classpath = new ArrayList<>();
        classpath.add(guestPath(app.jar(), roots, tags, Optional.empty()));
        for (Path dependency : app.dependencies()) {
            classpath.add(guestPath(dependency, roots, tags, app.localRepository()));
        }
        List<NinePShare> shares = new ArrayList<>();
        shares.add(new NinePShare(launcherDirectory.toAbsolutePath().normalize(), tags.tagFor(launcherDirectory),
                app.directory(), false));
        shares.addAll(roots.values());
        return new ApplicationShares(shares, app.name(), Launcher.text(app.jvmArguments(), classpath, app.mainClass()));
    }

    /** The jar's path in the guest, sharing its root directory on first use. */
    private static String guestPath(Path jar, Map<Path, NinePShare> roots, ShareTags tags, Optional<Path> repository) {
        Path file = jar.toAbsolutePath().normalize();
        Path root = repository.map(r -> r.toAbsolutePath().normalize()).filter(file::startsWith)
                .orElse(file.getParent());
        // a root already shared that contains this one serves as well (e.g. target/ and target/lib)
        Path covering = roots.keySet().stream().filter(root::startsWith).findFirst().orElse(root);
        NinePShare share = roots.computeIfAbsent(covering, r -> {
            String tag = tags.tagFor(r);
            return new NinePShare(r, tag, GUEST_ROOTS + "/" + tag, false);
        });
        String relative = share.source().relativize(file).toString().replace('\\', '/');
        String guest = share.guestTarget() + "/" + relative;
        if (guest.contains(":")) {
            throw new BuildException("the application's jar " + file + " has ':' in its path, which cannot appear"
                    + " on a Java classpath; move it (or the local repository) to a path without ':'");
        }
        return guest;
    }

    private static void requireFile(Path file, String what, String fix) {
        if (!Files.isRegularFile(file)) {
            throw new BuildException(what + " " + file + " does not exist: " + fix);
        }
    }
}
