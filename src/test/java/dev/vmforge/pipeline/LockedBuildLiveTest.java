package dev.vmforge.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.debian.Base;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.LockFile;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolveRequest;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A goal with a committed {@code vm-packages.lock}, against Debian's archive: the lock as {@code vm:resolve}
 * wrote it builds; the same lock with busybox-static's row pointing at busybox's .deb (with that file's size,
 * or keeping the old size) is refused naming the row, before anything is downloaded or built.
 */
@EnabledIfSystemProperty(named = "vm.test.live", matches = "true")
class LockedBuildLiveTest {
    private static Path cacheDir() {
        return Path.of(System.getProperty("vm.cacheDirectory", System.getProperty("user.home") + "/.cache/vm-maven-plugin"));
    }

    @Test
    void aLockRowPointingAtAnotherDebIsRefused(@TempDir Path project) throws Exception {
        BuildContext context = HelloSystem.context(project, cacheDir());
        Path image;
        try (Engine engine = new Engine(context)) {
            engine.resolveAndLock(HelloSystem.operatingSystem(project));
            image = engine.buildDockerImage(HelloSystem.operatingSystem(project), HelloSystem.reader(project).readDocker(null));
        }
        Path lock = context.lockFile();
        assertTrue(Files.isRegularFile(image), image.toString());
        List<String> original = Files.readAllLines(lock);

        ResolvedClosure other = new DebianArchive(cacheDir(), false, BuildLog.silent()).resolve(new ResolveRequest(
                LockFile.read(lock).mirrors().stream().limit(1).map(m -> new PackageSource(m, "bookworm",
                        List.of("main"), "amd64", null)).toList(), List.of("busybox"), null, Base.MINIMAL, false));
        ResolvedPackage busybox = other.find("busybox");
        for (boolean rightSize : new boolean[] {true, false}) {
            List<String> lines = new ArrayList<>(original);
            int row = 0;
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i).split(" ");
                if (f[0].equals("busybox-static")) {
                    lines.set(i, String.join(" ", f[0], f[1], f[2], busybox.sha256(),
                            rightSize ? Long.toString(busybox.size()) : f[4], busybox.filename()));
                    row = i + 1;
                }
            }
            Files.write(lock, lines);
            Files.deleteIfExists(image);
            BuildException e = assertThrows(BuildException.class, () -> {
                try (Engine engine = new Engine(context)) {
                    engine.buildDockerImage(HelloSystem.operatingSystem(project), HelloSystem.reader(project).readDocker(null));
                }
            });
            assertTrue(e.getMessage().contains(lock + " line " + row + ": busybox-static "), e.getMessage());
            assertTrue(e.getMessage().contains("mvn vm:resolve"), e.getMessage());
            assertFalse(Files.exists(image));
        }
    }
}
