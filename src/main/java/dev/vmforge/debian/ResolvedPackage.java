package dev.vmforge.debian;

import java.net.URI;

/**
 * One package of a resolved closure: enough to download and verify its .deb.
 *
 * @param filename path of the .deb relative to {@code mirror}, e.g. {@code pool/main/b/busybox/busybox-static_...deb}
 * @param mirror   the archive root it comes from (ends with {@code /})
 */
public record ResolvedPackage(String name, DebianVersion version, String architecture, String sha256, long size,
                              String filename, URI mirror, boolean essential, String priority) {

    public URI uri() {
        return mirror.resolve(filename);
    }

    static ResolvedPackage of(BinaryPackage p) {
        return new ResolvedPackage(p.name(), p.version(), p.architecture(), p.sha256(), p.size(), p.filename(),
                p.source().mirror(), p.essential(), p.priority());
    }

    @Override
    public String toString() {
        return name + " " + version + " " + architecture;
    }
}
