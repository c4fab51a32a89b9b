package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.EntryFile;
import dev.vmforge.store.Realizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Guix's {@code guix challenge}: each substitutable output built here compared, file by file, with the one the
 * registry serves under the same key. A mismatch means a build that is not reproducible, or a substitute that is
 * not what its inputs build.
 */
public final class Challenge {
    /** The registry's side: the files of its signed entry of a key. */
    public interface Registry {
        /**
         * @return path to SHA-256 of each file, empty when the registry has no entry for the key
         * @throws Exception when the entry cannot be read or is not trusted (reported as a mismatch)
         */
        Optional<Map<String, String>> files(DerivationKey key, String name) throws Exception;
    }

    private final Realizer local;
    private final Registry registry;
    private final BuildLog log;

    /** @param local builds here, in a store of its own, without substitutes */
    Challenge(Realizer local, Registry registry, BuildLog log) {
        this.local = local;
        this.registry = registry;
        this.log = log;
    }

    List<String> run(List<Derivation<?>> derivations, Function<Derivation<?>, DerivationKey> keys) {
        List<String> mismatches = new ArrayList<>();
        int same = 0;
        int missing = 0;
        for (Derivation<?> derivation : derivations) {
            DerivationKey key = keys.apply(derivation);
            Optional<Map<String, String>> remote;
            try {
                remote = registry.files(key, derivation.name());
            } catch (Exception e) {
                mismatches.add(derivation.name() + " " + key.shortHex() + ": the registry's substitute is refused: "
                        + e.getMessage());
                continue;
            }
            if (remote.isEmpty()) {
                log.info(String.format("  %-16s %s: not in the registry", derivation.name(), key.shortHex()));
                missing++;
                continue;
            }
            List<String> differences = compare(Realizer.entryFiles(local.entry(derivation)), remote.get());
            if (differences.isEmpty()) {
                log.info(String.format("  %-16s %s: same as the registry's", derivation.name(), key.shortHex()));
                same++;
            } else {
                differences.forEach(d -> mismatches.add(derivation.name() + " " + key.shortHex() + ": " + d));
            }
        }
        log.info("Challenge: " + same + " outputs as the registry's, " + mismatches.size() + " mismatches, "
                + missing + " not in the registry");
        return mismatches;
    }

    /** Each file that differs, is only here or only there. */
    static List<String> compare(List<EntryFile> here, Map<String, String> there) {
        List<String> differences = new ArrayList<>();
        TreeSet<String> paths = new TreeSet<>(there.keySet());
        here.forEach(f -> paths.add(f.path()));
        for (String path : paths) {
            String mine = here.stream().filter(f -> f.path().equals(path)).map(EntryFile::sha256).findFirst().orElse(null);
            String theirs = there.get(path);
            if (mine == null) {
                differences.add(path + " is only in the registry's");
            } else if (theirs == null) {
                differences.add(path + " is only in the local build");
            } else if (!mine.equals(theirs)) {
                differences.add(path + " differs: local sha256:" + mine + ", registry sha256:" + theirs);
            }
        }
        return differences;
    }
}
