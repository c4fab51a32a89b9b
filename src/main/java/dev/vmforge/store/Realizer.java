package dev.vmforge.store;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.Step;
import dev.vmforge.fs.DiskSpace;
import dev.vmforge.fs.HostFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes derivation keys and realizes outputs: from the store when a valid entry has the key, else by building
 * (each input derivation realized first, by the build itself). Keys need no build, so an unchanged goal finds its
 * last output and does nothing else. One line per realized derivation: {@code Root file system  up to date}.
 *
 * <p>Checks, per {@link Manifest.Check}: an output used as the goal's answer is checked for sizes; an output read
 * to build another one ({@link #input}) is checked byte for byte, as is every output with {@code -Dvm.verify=true}.
 */
public final class Realizer {
    private final Store shared;
    private final Store project;
    private final BuildLog log;
    private final boolean verifyContents;
    private final Substitutes substitutes;
    private final Map<Derivation<?>, DerivationKey> keys = new IdentityHashMap<>();
    /** Outputs already realized in this goal, with the most thorough check they passed. */
    private final Map<DerivationKey, Manifest.Check> checked = new HashMap<>();

    /**
     * @param verifyContents check every output's SHA-256, not only those read to build another ({@code vm.verify})
     */
    public Realizer(Store shared, Store project, BuildLog log, boolean verifyContents) {
        this(shared, project, log, verifyContents, Substitutes.NONE);
    }

    /** @param substitutes asked for each substitutable output before it is built, offered it once built */
    public Realizer(Store shared, Store project, BuildLog log, boolean verifyContents, Substitutes substitutes) {
        this.shared = shared;
        this.project = project;
        this.log = log;
        this.verifyContents = verifyContents;
        this.substitutes = substitutes;
    }

    /** The derivations whose key this realizer computed (a goal's whole graph) that may come from substitutes. */
    public synchronized List<Derivation<?>> substitutable() {
        return keys.keySet().stream().filter(Derivation::substitutable).toList();
    }

    public synchronized DerivationKey key(Derivation<?> derivation) {
        DerivationKey key = keys.get(derivation);
        if (key == null) {
            key = inputs(derivation).key();
            keys.put(derivation, key);
        }
        return key;
    }

    /**
     * Records the use of every existing output of the goal's graph (each derivation whose key was computed, inputs
     * of up-to-date outputs included), so that vm:gc and the project store's tidying keep what the current
     * configuration would need to build again. Outputs another build holds the lock of are that build's to record.
     */
    public synchronized void recordUse() {
        keys.forEach((derivation, key) -> storeOf(derivation).recordUse(key, derivation.name()));
    }

    /** The declared inputs, encoded; {@link Inputs#describe()} lists them. */
    public Inputs inputs(Derivation<?> derivation) {
        Inputs inputs = new Inputs(derivation.name(), PluginVersion.get(), this::key);
        derivation.declare(inputs);
        return inputs;
    }

    /** The output as a goal's result (its entry's sizes are checked). */
    public <T> T realize(Derivation<T> derivation) {
        return read(derivation, realizedPath(derivation, verifyContents ? Manifest.Check.CONTENTS : Manifest.Check.SIZES));
    }

    /** The output as the input of another build: its bytes are checked against the manifest before use. */
    public <T> T input(Derivation<T> derivation) {
        return read(derivation, realizedPath(derivation, Manifest.Check.CONTENTS));
    }

    /** The store entry of the output (realized if needed), e.g. to point a script at it. */
    public Path entry(Derivation<?> derivation) {
        return realizedPath(derivation, verifyContents ? Manifest.Check.CONTENTS : Manifest.Check.SIZES);
    }

    /**
     * Writes the single-file output of {@code derivation} to {@code target} (a goal's file in {@code target/}),
     * not keeping it in the store too: rewritten only when the key changed or the file was modified since.
     */
    public Path publish(Derivation<Path> derivation, Path target, Path stampDirectory) {
        DerivationKey key = key(derivation);
        PublishedFile published = new PublishedFile(target, stampDirectory);
        try (Step step = Step.start(log, derivation.title())) {
            if (published.upToDate(key)) {
                step.outcome("up to date");
                publishStoredOutputs();
                return target;
            }
            logInputs(derivation);
            Path work = target.toAbsolutePath().resolveSibling(".vmforge-" + target.getFileName() + "-"
                    + ProcessHandle.current().pid());
            try {
                HostFiles.deleteRecursively(work);
                Files.createDirectories(work);
                String outcome = derivation.build(work, this);
                Path file = derivation.read(work);
                published.write(key, file);
                step.outcome(outcome);
            } catch (IOException e) {
                throw DiskSpace.explain(new IOException("cannot write " + target + ": " + e.getMessage(), e),
                        target.toAbsolutePath().getParent(), "writing " + target.getFileName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BuildException("interrupted while writing " + target, e);
            } finally {
                HostFiles.deleteQuietly(work);
            }
            return target;
        }
    }

    /**
     * With publishing on, a goal whose file in {@code target/} is up to date realizes nothing, yet the registry may
     * lack its outputs (a build before publishing was turned on): the substitutable outputs of its graph that the
     * stores hold are offered, each read byte for byte against its manifest first.
     */
    private void publishStoredOutputs() {
        if (!substitutes.publishes()) {
            return;
        }
        for (Derivation<?> derivation : substitutable()) {
            DerivationKey key = key(derivation);
            Store store = storeOf(derivation);
            store.find(key, derivation.name(), Manifest.Check.CONTENTS).ifPresent(entry ->
                    substitutes.publish(key, derivation.name(), entry, entryFiles(entry)));
        }
    }

    /** The store an output lives in: the shared one, or the project's. */
    private Store storeOf(Derivation<?> derivation) {
        return derivation.location() == Derivation.Location.SHARED ? shared : project;
    }

    private Path realizedPath(Derivation<?> derivation, Manifest.Check check) {
        DerivationKey key = key(derivation);
        Store store = storeOf(derivation);
        Path entry = store.pathOf(key, derivation.name());
        Manifest.Check done;
        synchronized (this) {
            done = checked.get(key);
            if (done != null && (done == Manifest.Check.CONTENTS || check == Manifest.Check.SIZES)) {
                return entry; // realized earlier in this goal, and checked as thoroughly
            }
        }
        if (done != null && store.find(key, derivation.name(), check).isPresent()) {
            synchronized (this) {
                checked.put(key, check); // realized earlier in this goal (and logged); now read byte for byte
            }
            return entry;
        }
        try (Step step = Step.start(log, derivation.title())) {
            boolean[] substituted = {false};
            if (store.find(key, derivation.name(), check).isPresent()) {
                step.outcome("up to date");
            } else {
                logInputs(derivation);
                String[] outcome = {"built"};
                store.build(key, derivation.name(), check, out -> {
                    Optional<String> substitute = substitute(derivation, key, out);
                    substituted[0] = substitute.isPresent();
                    outcome[0] = substitute.isPresent() ? substitute.get() : derivation.build(out, this);
                });
                step.outcome(outcome[0]);
            }
            // built now or by an earlier goal (the registry may still lack it); a substitute came from there
            if (!substituted[0] && derivation.substitutable() && substitutes.publishes()) {
                substitutes.publish(key, derivation.name(), entry, entryFiles(entry));
            }
        }
        synchronized (this) {
            checked.put(key, check);
        }
        return entry;
    }

    /**
     * The output of {@code key} fetched into {@code out} when a trusted substitute has it and it reads as the
     * derivation's output; otherwise {@code out} is emptied (with a warning when a fetched output did not read)
     * and the output is built here.
     */
    private Optional<String> substitute(Derivation<?> derivation, DerivationKey key, Path out) throws IOException {
        if (!derivation.substitutable()) {
            return Optional.empty();
        }
        Optional<String> fetched = substitutes.fetch(key, derivation.name(), out);
        if (fetched.isPresent()) {
            try {
                derivation.read(out);
                return fetched;
            } catch (IOException | RuntimeException e) {
                log.warn(derivation.title() + ": the substitute " + key.shortHex() + " cannot be read ("
                        + e.getMessage() + "); building it here");
            }
        }
        HostFiles.deleteRecursively(out);
        Files.createDirectories(out);
        return Optional.empty();
    }

    /** The files of a finished entry, as its manifest lists them. */
    public static List<EntryFile> entryFiles(Path entry) {
        try {
            return Manifest.files(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + entry, e);
        }
    }

    private void logInputs(Derivation<?> derivation) {
        if (log.isDebugEnabled()) {
            log.debug(derivation.title() + ": building " + derivation.name() + " " + key(derivation).hex()
                    + " from:\n" + inputs(derivation).describe());
        }
    }

    private static <T> T read(Derivation<T> derivation, Path entry) {
        try {
            return derivation.read(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the output of " + derivation.title() + " in " + entry, e);
        }
    }

    /**
     * A goal's file outside the store and its stamp: the key it was written for, and the file's size and time,
     * so a file changed since (an image booted without {@code snapshot=on}) is written again.
     */
    private static final class PublishedFile {
        private final Path target;
        private final Path stamp;

        PublishedFile(Path target, Path stampDirectory) {
            this.target = target;
            this.stamp = stampDirectory.resolve(target.getFileName() + ".stamp");
        }

        boolean upToDate(DerivationKey key) {
            try {
                return Files.isRegularFile(stamp) && Files.isRegularFile(target)
                        && Files.readAllLines(stamp, StandardCharsets.UTF_8).equals(stampLines(key));
            } catch (IOException e) {
                return false;
            }
        }

        /** Moves {@code file} over the target (forced to disk first), then writes the stamp. */
        void write(DerivationKey key, Path file) throws IOException {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.deleteIfExists(stamp); // until the new file is in place, it is not up to date
            HostFiles.force(file);
            HostFiles.replace(file, target);
            HostFiles.writeAtomically(stamp, String.join("\n", stampLines(key)).concat("\n")
                    .getBytes(StandardCharsets.UTF_8));
        }

        private List<String> stampLines(DerivationKey key) throws IOException {
            return List.of(key.hex(), Long.toString(Files.size(target)),
                    Long.toString(Files.getLastModifiedTime(target).toMillis()));
        }
    }
}
