package dev.vmforge.configure;

import dev.vmforge.fs.DebPackage;
import dev.vmforge.fs.UnpackedPackage;
import dev.vmforge.vm.ShellQuoting;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The builder VM script of the configure step, as debootstrap's second stage: unpack the root onto a
 * tmpfs, mount proc, sys and dev into it, forbid service start-up with {@code policy-rc.d}, run each
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

    private ConfigureScript() {
    }

    /** A package's preinst: its dpkg info name ({@code NAME} or {@code NAME:ARCH}), name and architecture. */
    public record Preinst(String infoName, String packageName, String architecture) {
    }

    /**
     * @param preinstOrder the packages with a preinst, in the order to run them
     * @param tmpfsMiB     size of the tmpfs the root is unpacked onto
     */
    public static String text(List<Preinst> preinstOrder, long tmpfsMiB) {
        List<String> lines = new ArrayList<>(List.of(
                "#!/bin/sh",
                "# configure step (dev.vmforge.configure.ConfigureScript): dpkg --configure -a in a chroot",
                "umask 022",
                "ROOT=/mnt/root",
                "OUT=/xchg/" + OUTPUT_FILE,
                "RESULT=/xchg/" + RESULT_FILE,
                "mkdir -p $ROOT",
                "mount -t tmpfs -o size=" + tmpfsMiB + "m,mode=0755 tmpfs $ROOT || exit 1",
                "tar -xf /dev/vdb -C $ROOT || exit 1",
                "build-step unpacked",
                "mkdir -p $ROOT/proc $ROOT/sys $ROOT/dev $ROOT/tmp $ROOT/usr/sbin",
                "chmod 1777 $ROOT/tmp",
                "mount -t proc proc $ROOT/proc",
                "mount -t sysfs sysfs $ROOT/sys",
                "mount -o bind /dev $ROOT/dev",
                "# no service may start while the system is being configured (invoke-rc.d asks this)",
                "printf '#!/bin/sh\\nexit 101\\n' > $ROOT/usr/sbin/policy-rc.d",
                "chmod 755 $ROOT/usr/sbin/policy-rc.d",
                "export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true LC_ALL=C LANGUAGE=C LANG=C",
                "export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root",
                "result=ok",
                ": > $OUT",
                "run_preinst() {",
                "    echo \"vmforge: running preinst install of $2\" >> $OUT",
                "    DPKG_MAINTSCRIPT_PACKAGE=$2 DPKG_MAINTSCRIPT_NAME=preinst DPKG_MAINTSCRIPT_ARCH=$3 DPKG_ROOT= \\",
                "        chroot $ROOT /var/lib/dpkg/info/$1.preinst install >> $OUT 2>&1",
                "}"));
        for (Preinst p : preinstOrder) {
            lines.add("[ \"$result\" = ok ] && { run_preinst " + ShellQuoting.quote(p.infoName()) + " "
                    + ShellQuoting.quote(p.packageName()) + " " + ShellQuoting.quote(p.architecture())
                    + " || result=" + ShellQuoting.quote("failed preinst " + p.packageName()) + "; }");
        }
        lines.addAll(List.of(
                "build-step preinst",
                "if [ \"$result\" = ok ]; then",
                "    chroot $ROOT /usr/bin/dpkg --configure -a >> $OUT 2>&1 || result='failed dpkg'",
                "fi",
                "build-step dpkg-configure",
                "if [ \"$result\" = ok ] && chroot $ROOT /bin/sh -c 'command -v ldconfig' >/dev/null 2>&1; then",
                "    chroot $ROOT ldconfig >> $OUT 2>&1",
                "fi",
                "cat $OUT",
                "rm -f $ROOT/usr/sbin/policy-rc.d $ROOT/var/cache/debconf/*-old $ROOT/var/lib/dpkg/*-old",
                "rm -rf $ROOT/tmp/* $ROOT/var/tmp/*",
                "umount $ROOT/dev; umount $ROOT/sys; umount $ROOT/proc",
                "if [ \"$result\" = ok ]; then",
                "    tar -cf /dev/vda -C $ROOT . || result='failed tar'",
                "    sync",
                "fi",
                "build-step tar",
                "echo \"$result\" > $RESULT",
                "exit 0",
                ""));
        return String.join("\n", lines);
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
