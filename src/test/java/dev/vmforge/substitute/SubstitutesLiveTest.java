package dev.vmforge.substitute;

import dev.vmforge.BuildLog;
import dev.vmforge.it.TestRegistry;
import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.registry.Credentials;
import dev.vmforge.registry.CredentialSource;
import dev.vmforge.store.Derivation;
import dev.vmforge.store.Inputs;
import dev.vmforge.store.Realizer;
import dev.vmforge.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Substitutes through Debian's docker-registry on 127.0.0.1:18442: what one store publishes, signed, another
 * fetches instead of building, byte for byte; an untrusted signature, an altered blob and a registry that is down
 * are refused with a warning naming why, and the output is built. Run by failsafe ({@code -Dvm.test.live=true}).
 */
@EnabledIfSystemProperty(named = "vm.test.live", matches = "true")
class SubstitutesLiveTest {
    private static final int PORT = 18442;
    private static final String PASSWORD = "subst-Test-pa55";
    private static final String PASSPHRASE = "test-passphrase-never-printed";

    @TempDir
    static Path dir;
    private static TestRegistry registry;
    private static TestKeys trusted;
    private static TestKeys stranger;

    @BeforeAll
    static void start() throws Exception {
        registry = TestRegistry.start(dir.resolve("registry"), PORT, Map.of("alice", PASSWORD));
        trusted = TestKeys.generate(dir.resolve("keys"), "trusted", PASSPHRASE);
        stranger = TestKeys.generate(dir.resolve("keys"), "stranger", "");
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    /** A substitutable output of two files, one in a directory, counting its builds. */
    record Output(String text, AtomicInteger builds) implements Derivation<Path> {
        public String name() {
            return "sample";
        }

        public String title() {
            return "Sample " + text;
        }

        public Location location() {
            return Location.SHARED;
        }

        public boolean substitutable() {
            return true;
        }

        public void declare(Inputs inputs) {
            inputs.text("text", text);
        }

        public String build(Path out, Realizer realizer) throws IOException {
            builds.incrementAndGet();
            Files.createDirectories(out.resolve("sub"));
            Files.writeString(out.resolve("sub/out.txt"), text);
            Files.write(out.resolve("data.bin"), new byte[200_000]);
            return "built";
        }

        public Path read(Path out) {
            return out.resolve("sub/out.txt");
        }
    }

    private static final class Log implements BuildLog {
        final List<String> lines = new ArrayList<>();

        public synchronized void info(String m) {
            lines.add("[INFO] " + m);
        }

        public synchronized void warn(String m) {
            lines.add("[WARNING] " + m);
        }

        public synchronized void debug(String m) {
            lines.add("[DEBUG] " + m);
        }

        public boolean isDebugEnabled() {
            return true;
        }

        synchronized String text() {
            return String.join("\n", lines);
        }
    }

    private static final CredentialSource ALICE = r -> Optional.of(Credentials.password("alice", PASSWORD, "test"));

    private static RegistrySubstitutes substitutes(String repository, int port, boolean publish, TestKeys signer,
                                                   Log log) {
        SubstituteSettings settings = new SubstituteSettings(
                SubstituteSettings.repository("127.0.0.1:" + port + "/" + repository), publish,
                TrustedKeys.load(List.of(trusted.publicKey())),
                publish ? Optional.of(SigningKey.load(signer.secret(), (signer == trusted ? PASSPHRASE : "").toCharArray()))
                        : Optional.empty(), false);
        return new RegistrySubstitutes(settings, ALICE, dir.resolve("blob-locations"), log);
    }

    private static Path realize(Output output, String machine, RegistrySubstitutes substitutes, Log log) {
        Path root = dir.resolve(machine);
        Realizer realizer = new Realizer(new Store(root.resolve("shared"), log), new Store(root.resolve("project"), log),
                log, false, substitutes);
        return realizer.realize(output);
    }

    private static Path publishOnA(Output output, String repository, TestKeys signer) {
        Log log = new Log();
        Path built = realize(output, "a-" + repository + output.text(), substitutes(repository, PORT, true, signer, log), log);
        assertTrue(log.text().contains("Published sample"), log.text());
        assertTrue(!log.text().contains(PASSPHRASE), "the passphrase was printed");
        return built;
    }

    @Test
    void builtOnOneMachineIsFetchedOnAnother() throws IOException {
        Output a = new Output("shared", new AtomicInteger());
        Path built = publishOnA(a, "cache", trusted);
        assertEquals(1, a.builds().get());

        Output b = new Output("shared", new AtomicInteger());
        Log log = new Log();
        Path fetched = realize(b, "b-fetch", substitutes("cache", PORT, false, null, log), log);
        assertEquals(0, b.builds().get(), log.text());
        assertTrue(log.text().contains("substituted from 127.0.0.1:" + PORT + "/cache, signed by "
                + SigningKey.load(trusted.secret(), PASSPHRASE.toCharArray()).keyId()), log.text());
        assertEquals(Files.readString(built), Files.readString(fetched));
        assertEquals(-1L, Files.mismatch(built.resolveSibling("../data.bin"), fetched.resolveSibling("../data.bin")));

        // publishing again sends nothing
        Log again = new Log();
        realize(new Output("shared", new AtomicInteger()), "a-cacheshared", substitutes("cache", PORT, true, trusted,
                again), again);
        assertTrue(again.text().contains("already in 127.0.0.1:" + PORT + "/cache"), again.text());
    }

    @Test
    void aSubstituteSignedByAnUntrustedKeyIsRefused() {
        publishOnA(new Output("untrusted", new AtomicInteger()), "untrusted", stranger);
        Output b = new Output("untrusted", new AtomicInteger());
        Log log = new Log();
        realize(b, "b-untrusted", substitutes("untrusted", PORT, false, null, log), log);
        assertEquals(1, b.builds().get());
        String strangerId = SigningKey.load(stranger.secret(), new char[0]).keyId();
        assertTrue(log.text().contains("[WARNING] Refused the substitute of sample")
                && log.text().contains("signed by key " + strangerId + ", which is not among the trusted keys"),
                log.text());
    }

    @Test
    void anAlteredBlobIsRefused() throws IOException {
        publishOnA(new Output("altered", new AtomicInteger()), "altered", trusted);
        // the 200 000-byte data.bin blob in the registry's storage, one byte changed
        Path data;
        try (Stream<Path> files = Files.walk(dir.resolve("registry/storage"))) {
            data = files.filter(p -> p.getFileName().toString().equals("data"))
                    .filter(p -> sizeOf(p) == 200_000).findFirst().orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.seek(1000);
            f.write(7);
        }
        Output b = new Output("altered", new AtomicInteger());
        Log log = new Log();
        Path built = realize(b, "b-altered", substitutes("altered", PORT, false, null, log), log);
        assertEquals(1, b.builds().get(), log.text());
        assertTrue(log.text().contains("[WARNING] Cannot use the substitute of sample"), log.text());
        assertEquals("altered", Files.readString(built));
    }

    @Test
    void aRegistryThatIsDownIsAWarning() {
        Output b = new Output("down", new AtomicInteger());
        Log log = new Log();
        realize(b, "b-down", substitutes("cache", PORT + 1, false, null, log), log);
        assertEquals(1, b.builds().get());
        assertTrue(log.text().contains("[WARNING] Substitutes: registry 127.0.0.1:" + (PORT + 1)
                + " cannot be reached"), log.text());
    }

    @Test
    void publishingWithoutASigningKeyIsRefusedSayingHowToMakeOne() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () ->
                new SubstituteSettings(SubstituteSettings.repository("127.0.0.1:1/x"), true,
                        TrustedKeys.load(List.of(trusted.publicKey())), Optional.empty(), false));
        assertTrue(e.getMessage().contains("<substitutes/signingKey>") && e.getMessage().contains("gpg --batch"),
                e.getMessage());
    }

    @Test
    void aWrongPassphraseIsNamedButNotPrinted() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () ->
                SigningKey.load(trusted.secret(), "wrong-one".toCharArray()));
        assertTrue(e.getMessage().contains("wrong or missing passphrase") && !e.getMessage().contains("wrong-one"),
                e.getMessage());
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
