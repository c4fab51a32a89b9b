package dev.vmforge.debian;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes the closure of a request the way {@code apt-get install} does on an empty system:
 * <ol>
 * <li>Every root is marked first (then the base set), then each one's Pre-Depends, Depends (and Recommends
 *     when asked) are visited in field order, depth first. A group already satisfied by a marked package
 *     (by name or Provides) is skipped.</li>
 * <li>Otherwise the first alternative that has a usable target wins (apt's "first satisfiable").
 *     Targets of an alternative: the candidate of the real package when its version fits, then the
 *     candidates providing the name (versioned Provides for versioned relations), ordered by
 *     Priority (required, important, standard, optional, extra) then name. A target conflicting
 *     (Conflicts/Breaks, either way) with a marked package is not used.</li>
 * <li>Only candidates are considered (the highest version, see {@link PackageUniverse}), like apt: an
 *     older version in another suite does not rescue an unsatisfiable versioned dependency.</li>
 * </ol>
 * Multi-arch: one architecture only; {@code :any} and {@code :native} qualifiers name the package
 * itself, other qualifiers cannot be satisfied.
 */
public final class Resolver {
    private final PackageUniverse universe;
    private final String arch;
    private final boolean installRecommends;
    private final Map<String, BinaryPackage> marked = new LinkedHashMap<>();
    private final Map<String, List<PackageUniverse.Provider>> providedByMarked = new HashMap<>();
    private final List<Relation> conflictsOfMarked = new ArrayList<>();
    private final List<BinaryPackage> conflictOwners = new ArrayList<>();

    public Resolver(PackageUniverse universe, boolean installRecommends) {
        this.universe = universe;
        this.arch = universe.architecture();
        this.installRecommends = installRecommends;
    }

    /**
     * Resolves the roots of the request plus its base set; returns the marked packages in marking order.
     * Like {@code apt-get install}, every requested package is marked before any dependency is chosen, so a
     * dependency that a requested package meets (by name, as an alternative, or through Provides) takes it
     * rather than another package (e.g. a transitional one). The base set counts as already installed, as
     * it is when apt runs on a debootstrapped system: marked next, unless it conflicts with a requested package.
     */
    public List<BinaryPackage> resolve(List<String> rootNames, Base base) {
        Map<BinaryPackage, List<String>> toVisit = new LinkedHashMap<>(); // marked package -> why it is there
        for (String root : rootNames) {
            BinaryPackage pkg = rootCandidate(root);
            if (marked.containsKey(pkg.name())) {
                continue;
            }
            BinaryPackage conflicting = conflictWithMarked(pkg);
            if (conflicting != null) {
                throw new UnsatisfiableDependencyException(List.of(root), pkg + " conflicts with " + conflicting);
            }
            mark(pkg);
            toVisit.put(pkg, List.of(root));
        }
        if (base != Base.MINIMAL) {
            List<BinaryPackage> extra = new ArrayList<>();
            for (BinaryPackage p : universe.allCandidates()) {
                if (p.essential() || (base == Base.MINBASE && p.priority().equals("required"))) {
                    extra.add(p);
                }
            }
            extra.sort(Comparator.comparing(BinaryPackage::name));
            for (BinaryPackage p : extra) {
                if (!marked.containsKey(p.name()) && conflictWithMarked(p) == null) {
                    mark(p);
                    toVisit.put(p, List.of(p.name() + (p.essential() ? " (Essential)" : " (Priority: required)")));
                }
            }
        }
        toVisit.forEach(this::markDependencies);
        return new ArrayList<>(marked.values());
    }

    /**
     * Marks the kernel package and the {@code linux-image-*} packages it depends on, but not their tools
     * (kmod, initramfs-tools, linux-base): the plugin writes the initrd and module lists itself, so the
     * kernel's maintainer scripts and their dependencies have nothing to do.
     */
    public void markKernel(String name) {
        markKernelPackage(rootCandidate(name), List.of(name));
    }

    private void markKernelPackage(BinaryPackage pkg, List<String> chain) {
        if (marked.containsKey(pkg.name())) {
            return;
        }
        mark(pkg);
        for (List<Relation> group : pkg.dependsRelations(arch)) {
            for (Relation r : group) {
                if (!r.name().startsWith("linux-image-")) {
                    continue;
                }
                BinaryPackage target = universe.candidate(r.name());
                if (target == null || !r.acceptsVersion(target.version())) {
                    throw new UnsatisfiableDependencyException(append(chain, groupText(group)), explainMissing(group));
                }
                markKernelPackage(target, append(chain, groupText(group)));
            }
        }
    }

    /** A requested name: the real package, or the only provider of a virtual one (as apt-get install). */
    private BinaryPackage rootCandidate(String name) {
        BinaryPackage p = universe.candidate(name);
        if (p != null) {
            return p;
        }
        List<PackageUniverse.Provider> providers = universe.providers(name);
        if (providers.size() == 1) {
            return providers.get(0).pkg();
        }
        if (providers.isEmpty()) {
            throw new UnsatisfiableDependencyException(List.of(name), "no such package in the configured sources");
        }
        List<String> names = providers.stream().map(pr -> pr.pkg().name()).sorted().toList();
        throw new UnsatisfiableDependencyException(List.of(name),
                "is a virtual package provided by " + names + "; request one of them explicitly");
    }

    private void markInstall(BinaryPackage pkg, List<String> chain) {
        if (marked.containsKey(pkg.name())) {
            return;
        }
        BinaryPackage conflicting = conflictWithMarked(pkg);
        if (conflicting != null) {
            throw new UnsatisfiableDependencyException(chain, pkg + " conflicts with " + conflicting);
        }
        mark(pkg);
        markDependencies(pkg, chain);
    }

    /** Visits the Pre-Depends, Depends (and Recommends) of a marked package, marking what they need. */
    private void markDependencies(BinaryPackage pkg, List<String> chain) {
        List<List<Relation>> groups = new ArrayList<>(pkg.preDependsRelations(arch));
        groups.addAll(pkg.dependsRelations(arch));
        int required = groups.size();
        if (installRecommends) {
            groups.addAll(pkg.recommendsRelations(arch));
        }
        for (int g = 0; g < groups.size(); g++) {
            List<Relation> group = groups.get(g);
            if (isSatisfiedByMarked(group)) {
                continue;
            }
            BinaryPackage choice = chooseTarget(group);
            String groupText = groupText(group);
            if (choice == null) {
                if (g >= required) {
                    continue; // an unsatisfiable Recommends is skipped, as apt does
                }
                throw new UnsatisfiableDependencyException(append(chain, groupText), explainMissing(group));
            }
            markInstall(choice, append(chain, groupText));
        }
    }

    private void mark(BinaryPackage pkg) {
        marked.put(pkg.name(), pkg);
        for (List<Relation> group : pkg.providesRelations(arch)) {
            for (Relation r : group) {
                providedByMarked.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(new PackageUniverse.Provider(pkg, r.version()));
            }
        }
        for (List<Relation> group : pkg.conflictsAndBreaks(arch)) {
            for (Relation r : group) {
                conflictsOfMarked.add(r);
                conflictOwners.add(pkg);
            }
        }
    }

    private boolean isSatisfiedByMarked(List<Relation> group) {
        for (Relation r : group) {
            if (!qualifierUsable(r)) {
                continue;
            }
            BinaryPackage m = marked.get(r.name());
            if (m != null && r.acceptsVersion(m.version())) {
                return true;
            }
            for (PackageUniverse.Provider p : providedByMarked.getOrDefault(r.name(), List.of())) {
                if (!r.isVersioned() || r.acceptsVersion(p.version())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** First alternative with a usable target; null when none. */
    private BinaryPackage chooseTarget(List<Relation> group) {
        for (Relation r : group) {
            for (BinaryPackage target : targets(r)) {
                if (conflictWithMarked(target) == null) {
                    return target;
                }
            }
        }
        return null;
    }

    /** Candidates satisfying one relation: the real package first, then providers by priority and name. */
    private List<BinaryPackage> targets(Relation r) {
        List<BinaryPackage> result = new ArrayList<>();
        if (!qualifierUsable(r)) {
            return result;
        }
        BinaryPackage real = universe.candidate(r.name());
        if (real != null && r.acceptsVersion(real.version())) {
            result.add(real);
        }
        List<BinaryPackage> providing = new ArrayList<>();
        for (PackageUniverse.Provider p : universe.providers(r.name())) {
            if ((!r.isVersioned() || r.acceptsVersion(p.version())) && !providing.contains(p.pkg())) {
                providing.add(p.pkg());
            }
        }
        providing.sort(Comparator.comparingInt((BinaryPackage p) -> priorityRank(p.priority())).thenComparing(BinaryPackage::name));
        for (BinaryPackage p : providing) {
            if (!result.contains(p)) {
                result.add(p);
            }
        }
        return result;
    }

    private boolean qualifierUsable(Relation r) {
        String q = r.archQualifier();
        return q == null || q.equals("any") || q.equals("native") || q.equals(arch);
    }

    /** A marked package that conflicts with the candidate (either direction), or null. */
    private BinaryPackage conflictWithMarked(BinaryPackage candidate) {
        for (List<Relation> group : candidate.conflictsAndBreaks(arch)) {
            for (Relation r : group) {
                BinaryPackage m = marked.get(r.name());
                if (m != null && m != candidate && r.acceptsVersion(m.version())) {
                    return m;
                }
                for (PackageUniverse.Provider p : providedByMarked.getOrDefault(r.name(), List.of())) {
                    if (p.pkg() != candidate && (!r.isVersioned() || r.acceptsVersion(p.version()))) {
                        return p.pkg();
                    }
                }
            }
        }
        List<Relation> candidateProvides = candidate.providesRelations(arch).stream().flatMap(List::stream).toList();
        for (int i = 0; i < conflictsOfMarked.size(); i++) {
            Relation r = conflictsOfMarked.get(i);
            BinaryPackage owner = conflictOwners.get(i);
            if (owner == candidate) {
                continue;
            }
            if (r.name().equals(candidate.name()) && r.acceptsVersion(candidate.version())) {
                return owner;
            }
            for (Relation provided : candidateProvides) {
                if (provided.name().equals(r.name()) && (!r.isVersioned() || r.acceptsVersion(provided.version()))) {
                    return owner;
                }
            }
        }
        return null;
    }

    private String explainMissing(List<Relation> group) {
        List<String> reasons = new ArrayList<>();
        for (Relation r : group) {
            BinaryPackage real = universe.candidate(r.name());
            String prefix = group.size() > 1 ? r.name() + ": " : "";
            if (!qualifierUsable(r)) {
                reasons.add(prefix + "names another architecture");
            } else if (real != null && !r.acceptsVersion(real.version())) {
                reasons.add(prefix + "no candidate (only version " + real.version() + " available)");
            } else if (real == null && universe.providers(r.name()).isEmpty()) {
                reasons.add(prefix + "no candidate");
            } else {
                reasons.add(prefix + "every candidate conflicts with a package already chosen");
            }
        }
        return String.join("; ", reasons);
    }

    static int priorityRank(String priority) {
        switch (priority) {
            case "required": return 0;
            case "important": return 1;
            case "standard": return 2;
            case "optional": return 3;
            case "extra": return 4;
            default: return 5;
        }
    }

    private static String groupText(List<Relation> group) {
        return String.join(" | ", group.stream().map(Relation::toString).toList());
    }

    private static List<String> append(List<String> chain, String element) {
        List<String> longer = new ArrayList<>(chain);
        longer.add(element);
        return longer;
    }
}
