package dev.vmforge.os;

import dev.vmforge.os.pom.DistributionConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.os.pom.SourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static dev.vmforge.os.ReaderTesting.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DistributionValidationTest {
    @TempDir
    Path base;
    private final DistributionConfig d = new DistributionConfig();

    private Distribution read() {
        OperatingSystemConfig c = new OperatingSystemConfig();
        c.distribution = d;
        return reader(base)
                .readOperatingSystem(c).distribution();
    }

    private static SourceConfig source(String mirror, String suite) {
        SourceConfig s = new SourceConfig();
        s.mirror = mirror;
        s.suite = suite;
        return s;
    }

    @Test
    void mirrorAndSuiteMakeOneSourceWithoutTrailingSlash() throws Exception {
        d.mirror = "http://deb.debian.org/debian/";
        d.suite = "bookworm";
        d.components = List.of("main", "non-free-firmware", "main");
        d.architecture = "ARM64";
        Files.writeString(base.resolve("keys.gpg"), "k");
        d.keyring = "keys.gpg";
        Distribution distribution = read();
        assertEquals(List.of(new Distribution.Source(URI.create("http://deb.debian.org/debian"), "bookworm")),
                distribution.sources());
        assertEquals(List.of("main", "non-free-firmware"), distribution.components());
        assertEquals("arm64", distribution.architecture());
        assertEquals(base.resolve("keys.gpg").toAbsolutePath(), distribution.keyring().orElseThrow());
    }

    @Test
    void sourcesListGivesSeveralSources() {
        d.sources = List.of(source("http://deb.debian.org/debian", "bookworm"),
                source("file:///srv/mirror", "bookworm-updates"));
        assertEquals(2, read().sources().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://deb.debian.org/debian", "deb.debian.org/debian", "http:///debian", "http://exa mple"})
    void mirrorMustBeHttpHttpsOrFile(String mirror) {
        d.mirror = mirror;
        d.suite = "bookworm";
        assertInvalid("operatingSystem/distribution/mirror", "write an http://, https:// or file:// URL", this::read);
    }

    @Test
    void suiteNeedsMirror() {
        d.suite = "bookworm";
        assertInvalid("operatingSystem/distribution/mirror", "e.g. http://deb.debian.org/debian", this::read);
    }

    @Test
    void mirrorNeedsSuite() {
        d.mirror = "http://deb.debian.org/debian";
        assertInvalid("operatingSystem/distribution/suite", "e.g. bookworm", this::read);
    }

    @Test
    void suiteNameIsChecked() {
        d.mirror = "http://deb.debian.org/debian";
        d.suite = "../../etc";
        assertInvalid("operatingSystem/distribution/suite", "such as bookworm", this::read);
    }

    @Test
    void mirrorAndSourcesTogetherAreRefused() {
        d.mirror = "http://deb.debian.org/debian";
        d.suite = "bookworm";
        d.sources = List.of(source("http://deb.debian.org/debian", "bookworm-updates"));
        assertInvalid("operatingSystem/distribution/sources", "not both", this::read);
    }

    @Test
    void eachListedSourceIsChecked() {
        d.sources = List.of(source("http://deb.debian.org/debian", "bookworm"), source("http://x.org/debian", null));
        assertInvalid("operatingSystem/distribution/sources/source[2]/suite", "e.g. bookworm", this::read);
    }

    @Test
    void componentNameIsChecked() {
        d.components = List.of("main", "Non Free");
        assertInvalid("operatingSystem/distribution/components/component[2]", "such as main, contrib", this::read);
    }

    @Test
    void architectureListsDebianArchitectures() {
        d.architecture = "x86_64";
        assertInvalid("operatingSystem/distribution/architecture", "use one of amd64, arm64", this::read);
    }

    @Test
    void keyringMustExistAndSaysWhereItLooked() {
        d.keyring = "src/keys.gpg";
        var e = assertInvalid("operatingSystem/distribution/keyring", "create it or correct the path", this::read);
        assertEquals(true, e.getMessage().contains(base.resolve("src/keys.gpg").toString()), e.getMessage());
    }
}
