package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.debian.DebianArchive;
import dev.vmforge.debian.PackageSource;
import dev.vmforge.debian.ResolvedClosure;
import dev.vmforge.debian.ResolvedPackage;
import dev.vmforge.fs.CorruptFileException;
import dev.vmforge.fs.DebUnpacker;
import dev.vmforge.fs.FileTree;
import dev.vmforge.fs.UnpackedPackage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The .deb files of a closure, from the download cache: downloaded when missing, and checked by SHA-256 again
 * while they are unpacked, since a cached file is only as good as the disk it sits on. A cached file that no
 * longer matches its index is discarded with a warning and downloaded again.
 */
final class PackageFiles {
    private final DebianArchive archive;
    private final BuildLog log;

    PackageFiles(DebianArchive archive, BuildLog log) {
        this.archive = archive;
        this.log = log;
    }

    /** Downloads (or finds in the cache) every .deb of the closure. */
    Map<ResolvedPackage, Path> download(ResolvedClosure closure) {
        return archive.download(closure.packages(),
                closure.sources().stream().map(PackageSource::mirror).distinct().toList());
    }

    /** Unpacks the closure's packages in its order into {@code tree}, each verified as it is read. */
    List<UnpackedPackage> unpack(ResolvedClosure closure, FileTree tree) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Map<ResolvedPackage, Path> debs = download(closure);
            List<Path> files = new ArrayList<>();
            Map<Path, String> sha256 = new HashMap<>();
            for (ResolvedPackage p : closure.packages()) {
                files.add(debs.get(p));
                sha256.put(debs.get(p), p.sha256());
            }
            try {
                return DebUnpacker.unpack(files, sha256, tree);
            } catch (CorruptFileException e) {
                if (attempt > 1) {
                    throw e; // fetched again and still wrong: the mirror serves it so
                }
                log.warn("Discarding the cached package " + e.file() + ": " + e.getMessage()
                        + "; downloading it again");
                Files.deleteIfExists(e.file());
            } catch (NoSuchFileException e) {
                if (attempt > 1) {
                    throw e;
                }
                // removed by a vm:gc running beside this build: fetched again
                log.warn("The cached package " + e.getFile() + " was removed while in use; downloading it again");
            }
        }
    }
}
