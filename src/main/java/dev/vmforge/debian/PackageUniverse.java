package dev.vmforge.debian;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The merged view of several indices, as apt's candidate selection sees it: for each name, one
 * candidate, the highest version across all sources (equal versions: the earlier source wins), among
 * packages of the target architecture or {@code all}. Virtual packages map to the candidates that
 * provide them.
 */
public final class PackageUniverse {
    /** A candidate providing a virtual name, with the provided version (null when unversioned). */
    public record Provider(BinaryPackage pkg, DebianVersion version) {
    }

    private final String architecture;
    private final Map<String, BinaryPackage> candidates;
    private Map<String, List<Provider>> providers; // built on first use

    public PackageUniverse(String architecture, List<List<BinaryPackage>> indices) {
        this.architecture = architecture;
        int total = indices.stream().mapToInt(List::size).sum();
        Map<String, BinaryPackage> best = new HashMap<>(total * 4 / 3 + 16);
        for (List<BinaryPackage> index : indices) {
            for (BinaryPackage p : index) {
                if (!p.architecture().equals(architecture) && !p.architecture().equals("all")) {
                    continue;
                }
                BinaryPackage current = best.get(p.name());
                if (current == null || p.version().compareTo(current.version()) > 0) {
                    best.put(p.name(), p);
                }
            }
        }
        this.candidates = best;
    }

    public String architecture() {
        return architecture;
    }

    /** The candidate of a real package, or null. */
    public BinaryPackage candidate(String name) {
        return candidates.get(name);
    }

    public Iterable<BinaryPackage> allCandidates() {
        return candidates.values();
    }

    public int size() {
        return candidates.size();
    }

    /** Candidates that list this name in {@code Provides}. */
    public synchronized List<Provider> providers(String virtualName) {
        if (providers == null) {
            Map<String, List<Provider>> map = new HashMap<>();
            for (BinaryPackage p : candidates.values()) {
                if (p.provides().isEmpty()) {
                    continue;
                }
                // Fast path: Provides entries are "name" or "name (= version)"; full parsing only for the rare others.
                for (String entry : p.provides().split(",")) {
                    String e = entry.strip();
                    if (e.isEmpty()) {
                        continue;
                    }
                    int paren = e.indexOf('(');
                    if (paren < 0 && e.indexOf('[') < 0 && e.indexOf(':') < 0 && e.indexOf(' ') < 0) {
                        map.computeIfAbsent(e, k -> new ArrayList<>()).add(new Provider(p, null));
                        continue;
                    }
                    Relation r = Relation.parseOne(e, architecture, p.provides());
                    if (r != null) {
                        map.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(new Provider(p, r.version()));
                    }
                }
            }
            providers = map;
        }
        return providers.getOrDefault(virtualName, List.of());
    }
}
