package dev.vmforge.debian;

import java.util.List;

/**
 * The result of a resolution: the packages sorted by name, and the sources they came from.
 */
public record ResolvedClosure(List<ResolvedPackage> packages, List<PackageSource> sources) {
    public ResolvedClosure {
        packages = List.copyOf(packages);
        sources = List.copyOf(sources);
    }

    public long totalSize() {
        return packages.stream().mapToLong(ResolvedPackage::size).sum();
    }

    public ResolvedPackage find(String name) {
        return packages.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }
}
