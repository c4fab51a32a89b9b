package dev.vmforge.os;

import dev.vmforge.os.pom.FileConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code <files>}: project files copied into the system, by default {@code 0644} and owned by root. */
final class FilesReader {
    private static final String ELEMENT = "operatingSystem/files/file";
    private static final int DEFAULT_MODE = 0644;

    private final Path baseDirectory;

    FilesReader(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    List<FileSpec> read(List<FileConfig> configs) {
        List<FileConfig> given = configs == null ? List.of() : configs;
        List<FileSpec> files = new ArrayList<>();
        FirstUse<String> targets = new FirstUse<>("file");
        for (int i = 0; i < given.size(); i++) {
            FileConfig c = given.get(i) == null ? new FileConfig() : given.get(i);
            String element = Values.item(ELEMENT, i);
            Path source = Values.projectPath(element + "/source", baseDirectory, c.source, Values.Kind.FILE);
            String target = Values.absolutePathBelowRoot(element + "/target", c.target);
            targets.claim(element + "/target", target, i, "target '" + target + "'",
                    "each path in the system can be written by one <file> only");
            int mode = Values.given(c.mode) == null ? DEFAULT_MODE : Values.mode(element + "/mode", c.mode);
            int uid = Values.inRange(element + "/uid", c.uid, 0, 0, 65534, "a file owner's uid");
            int gid = Values.inRange(element + "/gid", c.gid, 0, 0, 65534, "a file owner's gid");
            files.add(new FileSpec(source, target, mode, uid, gid));
        }
        return files;
    }
}
