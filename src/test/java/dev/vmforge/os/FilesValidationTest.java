package dev.vmforge.os;

import dev.vmforge.os.pom.FileConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static dev.vmforge.os.ReaderTesting.reader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilesValidationTest {
    @TempDir
    Path base;
    private final OperatingSystemConfig c = new OperatingSystemConfig();

    @BeforeEach
    void projectFiles() throws Exception {
        Files.createDirectories(base.resolve("src/vm"));
        Files.writeString(base.resolve("src/vm/motd"), "hello\n");
    }

    private List<FileSpec> read() {
        return reader(base).readOperatingSystem(c).files();
    }

    private FileConfig file(String source, String target) {
        FileConfig f = new FileConfig();
        f.source = source;
        f.target = target;
        c.files.add(f);
        return f;
    }

    @Test
    void resolvesSourceAndDefaultsToRootOwned0644() {
        file("src/vm/motd", "/etc//motd");
        assertEquals(List.of(new FileSpec(base.resolve("src/vm/motd").toAbsolutePath(), "/etc/motd", 0644, 0, 0)), read());
    }

    @Test
    void keepsModeAndOwner() {
        FileConfig f = file("src/vm/motd", "/usr/local/bin/hello");
        f.mode = "0o4755";
        f.uid = 1000;
        f.gid = 1000;
        assertEquals(new FileSpec(base.resolve("src/vm/motd").toAbsolutePath(), "/usr/local/bin/hello", 04755, 1000, 1000),
                read().get(0));
    }

    @Test
    void missingSourceSaysTheResolvedPath() {
        file("src/vm/motd", "/etc/motd");
        file("src/vm/issue", "/etc/issue");
        var e = assertInvalid("operatingSystem/files/file[2]/source", "create it or correct the path", this::read);
        assertTrue(e.getMessage().contains(base.resolve("src/vm/issue").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void directorySourceIsRefused() {
        file("src/vm", "/etc/vm");
        assertInvalid("operatingSystem/files/file[1]/source", "is not a regular file", this::read);
    }

    @Test
    void sourceIsRequired() {
        file(null, "/etc/motd");
        assertInvalid("operatingSystem/files/file[1]/source", "relative to its base directory", this::read);
    }

    @Test
    void relativeTargetIsRefused() {
        file("src/vm/motd", "etc/motd");
        assertInvalid("operatingSystem/files/file[1]/target", "e.g. /etc/motd", this::read);
    }

    @Test
    void targetWithDotDotIsRefused() {
        file("src/vm/motd", "/etc/../../motd");
        assertInvalid("operatingSystem/files/file[1]/target", "without '..' segments", this::read);
    }

    @Test
    void rootAsTargetIsRefused() {
        file("src/vm/motd", "/");
        assertInvalid("operatingSystem/files/file[1]/target", "name a path below it", this::read);
    }

    @Test
    void duplicateTargetIsRefusedAfterNormalization() {
        file("src/vm/motd", "/etc/motd");
        file("src/vm/motd", "/etc/./motd");
        assertInvalid("operatingSystem/files/file[2]/target", "already used by file[1]", this::read);
    }

    @Test
    void badModeIsRefused() {
        file("src/vm/motd", "/etc/motd").mode = "rw-r--r--";
        assertInvalid("operatingSystem/files/file[1]/mode", "such as 0644", this::read);
    }

    @Test
    void ownerOutOfRangeIsRefused() {
        file("src/vm/motd", "/etc/motd").uid = -1;
        assertInvalid("operatingSystem/files/file[1]/uid", "between 0 and 65534", this::read);
    }
}
