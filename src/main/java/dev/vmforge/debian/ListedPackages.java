package dev.vmforge.debian;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the verified indices of the configured sources list under some names: what a lock-file row or a
 * cached closure is checked against before anything it names is downloaded or installed.
 */
final class ListedPackages {
    private final Map<String, List<BinaryPackage>> byName = new HashMap<>();

    /** @param perSource the packages found in each source, in source order (earlier sources win) */
    ListedPackages(List<List<BinaryPackage>> perSource) {
        for (List<BinaryPackage> found : perSource) {
            for (BinaryPackage p : found) {
                byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
            }
        }
    }

    /** The listed package a lock row names: same name, version, architecture, SHA-256 and path, and size when the row has one. */
    Optional<BinaryPackage> match(ResolvedPackage row) {
        return byName.getOrDefault(row.name(), List.of()).stream()
                .filter(p -> p.version().equals(row.version()) && p.architecture().equals(row.architecture())
                        && p.sha256().equals(row.sha256()) && p.filename().equals(row.filename())
                        && (row.size() < 0 || p.size() == row.size()))
                .findFirst();
    }

    /** Whether a resolved package (mirror, size and all) is exactly as some index lists it. */
    boolean lists(ResolvedPackage p) {
        return byName.getOrDefault(p.name(), List.of()).stream().anyMatch(listed -> ResolvedPackage.of(listed).equals(p));
    }

    /** Why {@link #match} finds nothing for the row: what the indices list under its name. */
    String whyUnlisted(ResolvedPackage row) {
        List<BinaryPackage> same = byName.getOrDefault(row.name(), List.of());
        if (same.isEmpty()) {
            return "no index lists a package of that name";
        }
        for (BinaryPackage p : same) {
            if (p.version().equals(row.version()) && p.architecture().equals(row.architecture())) {
                return "the index lists that version with SHA-256 " + p.sha256() + ", " + p.size() + " bytes, at "
                        + p.filename() + "; the row says SHA-256 " + row.sha256()
                        + (row.size() < 0 ? "" : ", " + row.size() + " bytes") + ", at " + row.filename();
            }
        }
        return "the indices list only " + String.join(", ", same.stream().map(p -> p.version() + " " + p.architecture())
                .distinct().toList());
    }
}
