package dev.vmforge.debian;

import java.util.List;

/**
 * One stanza of a {@code Packages} index: the fields the resolver and the downloader need.
 * Relation fields are kept as raw text and parsed only for the packages the resolver visits
 * (a Debian index has ~60k stanzas; the resolver looks at a few hundred). Absent fields are "".
 *
 * @param source where the index came from (the .deb is at {@code source.mirror() + filename})
 */
public record BinaryPackage(
        String name,
        DebianVersion version,
        String architecture,
        String multiArch,
        String priority,
        boolean essential,
        String preDepends,
        String depends,
        String recommends,
        String conflicts,
        String breaks,
        String provides,
        String filename,
        long size,
        String sha256,
        PackageSource source) {

    public List<List<Relation>> preDependsRelations(String arch) {
        return Relation.parseField(preDepends, arch);
    }

    public List<List<Relation>> dependsRelations(String arch) {
        return Relation.parseField(depends, arch);
    }

    public List<List<Relation>> recommendsRelations(String arch) {
        return Relation.parseField(recommends, arch);
    }

    /** Conflicts and Breaks: both forbid installing the two together in a fresh system. */
    public List<List<Relation>> conflictsAndBreaks(String arch) {
        List<List<Relation>> all = new java.util.ArrayList<>(Relation.parseField(conflicts, arch));
        all.addAll(Relation.parseField(breaks, arch));
        return all;
    }

    public List<List<Relation>> providesRelations(String arch) {
        return Relation.parseField(provides, arch);
    }

    @Override
    public String toString() {
        return name + " " + version + " " + architecture;
    }
}
