package dev.vmforge.system;

import dev.vmforge.BuildException;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the kernel package put the kernel: {@code boot/vmlinuz-VERSION} and its modules directory
 * {@code lib/modules/VERSION} (or {@code usr/lib/modules/VERSION} on a merged-/usr system).
 *
 * @param version     the kernel release, as {@code uname -r} prints it, e.g. {@code 6.1.0-56-cloud-amd64}
 * @param vmlinuzPath tree path of the kernel image
 * @param modulesDir  tree path of the modules directory (with symlinks resolved)
 */
public record KernelFiles(String version, String vmlinuzPath, String modulesDir) {

    /**
     * Finds the kernel in an unpacked system tree. With several kernels, the one sorting last is chosen.
     *
     * @throws BuildException when there is no kernel or no modules for it
     */
    public static KernelFiles find(FileTree tree) {
        String bootDir = TreeLookup.resolve(tree, "boot", true);
        List<String> versions = new ArrayList<>();
        for (FileEntry e : tree.entries()) {
            String p = e.path();
            if (p.startsWith(bootDir + "/vmlinuz-") && p.indexOf('/', bootDir.length() + 1) < 0
                    && e.type() == FileEntry.Type.FILE) {
                versions.add(p.substring(bootDir.length() + "/vmlinuz-".length()));
            }
        }
        if (versions.isEmpty()) {
            throw new BuildException("the system has no kernel: no /boot/vmlinuz-* in the unpacked packages. "
                    + "Set <operatingSystem><kernel> to a Debian kernel package such as linux-image-cloud-amd64 "
                    + "(or linux-image-amd64 for 9p shares)");
        }
        versions.sort(new DebianVersionOrder());
        String version = versions.get(versions.size() - 1);
        String modulesDir = TreeLookup.resolve(tree, "lib/modules/" + version, true);
        if (!tree.get(modulesDir).map(FileEntry::isDirectory).orElse(false)) {
            String usrDir = TreeLookup.resolve(tree, "usr/lib/modules/" + version, true);
            if (!tree.get(usrDir).map(FileEntry::isDirectory).orElse(false)) {
                throw new BuildException("kernel " + version + " has no modules directory /lib/modules/" + version
                        + ": the kernel package seems incomplete; use a Debian linux-image-* package");
            }
            modulesDir = usrDir;
        }
        return new KernelFiles(version, bootDir + "/vmlinuz-" + version, modulesDir);
    }

    /** Compares kernel releases by their numeric parts, so 6.1.0-10 sorts after 6.1.0-9. */
    private static final class DebianVersionOrder implements java.util.Comparator<String> {
        @Override
        public int compare(String a, String b) {
            String[] pa = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
            String[] pb = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
            for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
                int c;
                if (Character.isDigit(pa[i].charAt(0)) && Character.isDigit(pb[i].charAt(0))) {
                    c = new java.math.BigInteger(pa[i]).compareTo(new java.math.BigInteger(pb[i]));
                } else {
                    c = pa[i].compareTo(pb[i]);
                }
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(pa.length, pb.length);
        }
    }
}
