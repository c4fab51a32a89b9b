package dev.vmforge.debian;

import java.util.List;

/**
 * What to resolve.
 *
 * @param sources            archives to read, in order (on equal versions the first source wins)
 * @param packages           requested package names
 * @param kernel             kernel package name, or null for none
 * @param base               the base set added to the request
 * @param installRecommends  follow {@code Recommends} as apt does by default
 */
public record ResolveRequest(List<PackageSource> sources, List<String> packages, String kernel, Base base,
                             boolean installRecommends) {
    public ResolveRequest {
        sources = List.copyOf(sources);
        packages = List.copyOf(packages);
        base = base == null ? Base.MINIMAL : base;
    }

    /** Every root name: kernel then packages, in request order. */
    public List<String> rootNames() {
        List<String> roots = new java.util.ArrayList<>();
        if (kernel != null && !kernel.isBlank()) {
            roots.add(kernel);
        }
        roots.addAll(packages);
        return roots;
    }
}
