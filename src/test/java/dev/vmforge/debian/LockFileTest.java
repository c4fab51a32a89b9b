package dev.vmforge.debian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import dev.vmforge.debian.FixtureRepository.Pkg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lock-file row selects a package; only a verified index of the configured distribution can vouch for it. */
class LockFileTest {
    private static final Pkg APP = Pkg.of("app", "1.0", "Depends", "libc");
    private static final Pkg LIBC = Pkg.of("libc", "2.1-1");
    private static final Pkg EVIL = Pkg.of("evil", "6.6.6");

    @TempDir
    Path tmp;
    Path cache;
    Path keyring;
    FixtureRepository repo;
    ResolveRequest request;
    ResolvedClosure closure;
    Path lockFile;

    @BeforeEach
    void setUp() throws IOException {
        cache = tmp.resolve("cache");
        repo = new FixtureRepository(tmp.resolve("repo")).add(APP, LIBC, EVIL);
        keyring = repo.write();
        request = new ResolveRequest(List.of(repo.source(keyring)), List.of("app"), null, Base.MINIMAL, false);
        closure = archive().resolve(request);
        lockFile = tmp.resolve(LockFile.FILE_NAME);
        LockFile.of(request, closure).write(lockFile);
    }

    private DebianArchive archive() {
        return new DebianArchive(cache, false, BuildLog.silent());
    }

    private ResolvedClosure locked() {
        return archive().locked(LockFile.read(lockFile), request.sources(), lockFile.toString());
    }

    /** Rewrites the row of {@code name}; returns its line number. */
    private int editRow(String name, UnaryOperator<String[]> edit) throws IOException {
        List<String> lines = Files.readAllLines(lockFile);
        int line = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(name + " ")) {
                lines.set(i, String.join(" ", edit.apply(lines.get(i).split(" "))));
                line = i + 1;
            }
        }
        Files.write(lockFile, lines);
        return line;
    }

    private BuildException refused() {
        BuildException e = assertThrows(BuildException.class, this::locked);
        assertTrue(e.getMessage().contains("mvn vm:resolve") && e.getMessage().contains("https://snapshot.debian.org/archive/debian/"),
                e.getMessage());
        assertFalse(Files.exists(cache.resolve("debs")), "nothing downloaded");
        return e;
    }

    @Test
    void aRowTheIndexListsInstallsThePackageAsTheIndexHasIt() {
        assertEquals(closure.packages(), locked().packages());
    }

    @Test
    void aRowPointingAtAnotherDebWithItsSizeIsRefused() throws IOException {
        ResolvedPackage evil = archive().resolve(new ResolveRequest(request.sources(), List.of("evil"), null, Base.MINIMAL, false))
                .find("evil");
        int line = editRow("libc", f -> new String[] {f[0], f[1], f[2], evil.sha256(), Long.toString(evil.size()), evil.filename()});
        BuildException e = refused();
        assertTrue(e.getMessage().contains(lockFile + " line " + line + ": libc 2.1-1 amd64: the index lists that version with SHA-256 "
                + closure.find("libc").sha256()), e.getMessage());
    }

    @Test
    void aRowPointingAtAnotherDebWithTheRightSizeIsRefused() throws IOException {
        ResolvedPackage evil = archive().resolve(new ResolveRequest(request.sources(), List.of("evil"), null, Base.MINIMAL, false))
                .find("evil");
        int line = editRow("libc", f -> new String[] {f[0], f[1], f[2], evil.sha256(), f[4], f[5]});
        BuildException e = refused();
        assertTrue(e.getMessage().contains("line " + line + ": libc 2.1-1 amd64"), e.getMessage());
        assertTrue(e.getMessage().contains("the row says SHA-256 " + evil.sha256()), e.getMessage());
    }

    @Test
    void aRowWithTheRightDigestButAnotherSizeIsRefused() throws IOException {
        editRow("libc", f -> new String[] {f[0], f[1], f[2], f[3], "999999", f[5]});
        assertTrue(refused().getMessage().contains("999999 bytes"));
    }

    @Test
    void aRowNamingAPackageOrVersionNoIndexListsIsRefused() throws IOException {
        int line = editRow("app", f -> new String[] {"rootkit", f[1], f[2], f[3], f[4], f[5]});
        assertTrue(refused().getMessage().contains("line " + line + ": rootkit 1.0 amd64: no index lists a package of that name"));
    }

    @Test
    void aVersionTheArchiveNoLongerHasPointsToASnapshotMirror() throws IOException {
        // Debian published libc 2.2-1 and dropped 2.1-1 from the index
        new FixtureRepository(repo.root()).add(APP, Pkg.of("libc", "2.2-1"), EVIL).write();
        BuildException e = refused();
        assertTrue(e.getMessage().contains("libc 2.1-1 amd64: the indices list only 2.2-1 amd64"), e.getMessage());
    }

    @Test
    void rowsWrittenBeforeSizesWereRecordedAreReadAndGetTheirSizeFromTheIndex() throws IOException {
        editRow("libc", f -> new String[] {f[0], f[1], f[2], f[3], f[5]});
        editRow("app", f -> new String[] {f[0], f[1], f[2], f[3], f[5]});
        assertEquals(-1, LockFile.read(lockFile).packages().get(0).size());
        assertEquals(closure.packages(), locked().packages());
    }

    @Test
    void aMalformedRowIsNamedByItsLine() throws IOException {
        int line = editRow("libc", f -> new String[] {f[0], f[1], f[2], f[3], "lots", f[5]});
        BuildException e = assertThrows(BuildException.class, () -> LockFile.read(lockFile));
        assertTrue(e.getMessage().contains(lockFile + " line " + line + " is not 'NAME VERSION ARCH SHA256 SIZE PATH'"), e.getMessage());
        editRow("libc", f -> new String[] {f[0], "::", f[2], f[3], "1", f[5]});
        assertTrue(assertThrows(BuildException.class, () -> LockFile.read(lockFile)).getMessage().contains("line " + line + ": "));
    }

    @Test
    void theLockFileRecordsSizes() throws IOException {
        String rows = Files.readAllLines(lockFile).stream().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n"));
        ResolvedPackage libc = closure.find("libc");
        assertTrue(rows.contains("libc 2.1-1 amd64 " + libc.sha256() + " " + libc.size() + " " + libc.filename()), rows);
    }
}
