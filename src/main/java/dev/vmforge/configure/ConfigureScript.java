package dev.vmforge.configure;

import dev.vmforge.fs.DebPackage;
import dev.vmforge.fs.UnpackedPackage;
import dev.vmforge.ShellQuoting;
import dev.vmforge.ShellTemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The builder VM program of the configure step ({@code configure.sh}), as debootstrap's second stage: unpack the
 * root onto a tmpfs, mount proc, sys and dev into it, forbid service start-up with {@code policy-rc.d}, run each
 * package's {@code preinst install} in dependency order (dpkg --configure does not run preinst), then
 * {@code dpkg --configure -a} in a chroot, and write the configured root as a tar onto the output disk.
 *
 * <p>The script always exits 0 once the root is unpacked; what happened is in {@link #RESULT_FILE} in the
 * exchange folder ({@code ok}, or {@code failed preinst PACKAGE} / {@code failed dpkg}) and the output of
 * dpkg and of the scripts is in {@link #OUTPUT_FILE}, so the host can name the failing package and show
 * its output rather than the VM's last lines.
 *
 * <p>Disks: {@code /dev/vda} is the output disk (raw, the tar is written onto it), {@code /dev/vdb} the
 * unconfigured root as a tar.
 */
public final class ConfigureScript {
    public static final String RESULT_FILE = "configure-result";
    public static final String OUTPUT_FILE = "configure-output.log";
    /** dpkg's own logs, moved out of the system into the exchange folder (their times are the guest's clock). */
    public static final List<String> DPKG_LOGS = List.of("dpkg.log", "alternatives.log");

    private ConfigureScript() {
    }

    /** A package's preinst: its dpkg info name ({@code NAME} or {@code NAME:ARCH}), name and architecture. */
    public record Preinst(String infoName, String packageName, String architecture) {
    }

    /**
     * @param preinstOrder the packages with a preinst, in the order to run them
     * @param tmpfsMiB     size of the tmpfs the root is unpacked onto
     * @param timestamp    the scripts' SOURCE_DATE_EPOCH (project.build.outputTimestamp)
     */
    public static String text(List<Preinst> preinstOrder, long tmpfsMiB, long timestamp) {
        List<String> preinsts = new ArrayList<>();
        for (Preinst p : preinstOrder) {
            preinsts.add("run_preinst " + ShellQuoting.quote(p.infoName()) + " " + ShellQuoting.quote(p.packageName())
                    + " " + ShellQuoting.quote(p.architecture()));
        }
        return ShellTemplate.load(ConfigureScript.class, "configure.sh")
                .word("OUTPUT_FILE", OUTPUT_FILE)
                .word("RESULT_FILE", RESULT_FILE)
                .number("TMPFS_MIB", tmpfsMiB)
                .number("TIMESTAMP", timestamp)
                .lines("PREINSTS", preinsts)
                .render();
    }

    /**
     * Packages with a preinst, dependencies first (Pre-Depends and Depends among the given packages;
     * cycles are broken by name order), as dpkg would unpack them.
     */
    public static List<Preinst> preinstOrder(List<UnpackedPackage> packages) {
        Map<String, DebPackage> byName = new TreeMap<>();
        for (UnpackedPackage p : packages) {
            byName.put(p.deb().name(), p.deb());
        }
        Map<String, List<String>> dependencies = new HashMap<>();
        for (DebPackage deb : byName.values()) {
            List<String> deps = new ArrayList<>();
            for (String field : List.of("Pre-Depends", "Depends")) {
                for (String relation : deb.control().get(field, "").split("[,|]")) {
                    String name = relation.trim().split("[\\s(:]", 2)[0].toLowerCase(Locale.ROOT);
                    if (!name.isEmpty() && byName.containsKey(name) && !name.equals(deb.name())) {
                        deps.add(name);
                    }
                }
            }
            dependencies.put(deb.name(), deps);
        }
        Set<String> ordered = new LinkedHashSet<>();
        Set<String> visiting = new java.util.HashSet<>();
        for (String name : byName.keySet()) {
            visit(name, dependencies, ordered, visiting);
        }
        List<Preinst> result = new ArrayList<>();
        for (String name : ordered) {
            DebPackage deb = byName.get(name);
            if (deb.controlFileNames().contains("preinst")) {
                result.add(new Preinst(deb.infoName(), deb.name(), deb.architecture()));
            }
        }
        return result;
    }

    private static void visit(String name, Map<String, List<String>> dependencies, Set<String> ordered,
                              Set<String> visiting) {
        if (ordered.contains(name) || !visiting.add(name)) {
            return; // done, or a cycle: the package is placed when its first visit finishes
        }
        for (String dep : dependencies.getOrDefault(name, List.of())) {
            visit(dep, dependencies, ordered, visiting);
        }
        ordered.add(name);
    }
}
