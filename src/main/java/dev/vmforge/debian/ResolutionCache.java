package dev.vmforge.debian;

import dev.vmforge.Sha256;
import dev.vmforge.fs.HostFiles;

import dev.vmforge.store.PluginVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Closures already computed, in {@code CACHE/resolutions/KEY.tsv}: the key is the plugin version, the request
 * and the SHA-256 of every package index it was resolved against, as the verified Release files give them, so a
 * cached closure is what resolving again would give. It spares loading and resolving the whole indices (most of
 * a goal's start-up time once everything else is cached); {@link DebianArchive} still checks that the indices
 * list each of its packages. Unreadable entries count as absent.
 */
final class ResolutionCache {
    /** Changes when the resolver's answers or this file format change. */
    private static final String FORMAT = "resolution-2";

    private final Path directory;

    ResolutionCache(Path cacheDir) {
        this.directory = cacheDir.resolve("resolutions");
    }

    /**
     * The cache file of {@code request} against these releases (one per source, in order), or empty when a
     * release lacks an index the request needs (resolving then reports it).
     */
    Optional<Path> file(ResolveRequest request, List<ReleaseFile> releases) {
        StringBuilder key = new StringBuilder(FORMAT).append('\n').append(PluginVersion.get()).append('\n')
                .append(request).append('\n');
        for (int i = 0; i < releases.size(); i++) {
            PackageSource source = request.sources().get(i);
            for (String component : source.components()) {
                ReleaseFile.IndexEntry index = releases.get(i).sha256()
                        .get(component + "/binary-" + source.architecture() + "/Packages.xz");
                if (index == null) {
                    return Optional.empty();
                }
                key.append(index.sha256()).append('\n');
            }
        }
        return Optional.of(directory.resolve(Sha256.hex(key.toString()) + ".tsv"));
    }

    Optional<ResolvedClosure> read(Path file, List<PackageSource> sources) {
        if (!Files.isRegularFile(file) || !HostFiles.markUsed(file)) {
            return Optional.empty();
        }
        try {
            List<ResolvedPackage> packages = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f.length != 9) {
                    return Optional.empty();
                }
                packages.add(new ResolvedPackage(f[0], DebianVersion.parse(f[1]), f[2], f[3], Long.parseLong(f[4]),
                        f[5], URI.create(f[6]), Boolean.parseBoolean(f[7]), f[8]));
            }
            return Optional.of(new ResolvedClosure(packages, sources));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void write(Path file, ResolvedClosure closure) {
        StringBuilder text = new StringBuilder();
        for (ResolvedPackage p : closure.packages()) {
            text.append(String.join("\t", p.name(), p.version().toString(), p.architecture(), p.sha256(),
                    Long.toString(p.size()), p.filename(), p.mirror().toString(), Boolean.toString(p.essential()),
                    p.priority() == null ? "" : p.priority())).append('\n');
        }
        try {
            HostFiles.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // only a cache: the next build resolves again
        }
    }
}
