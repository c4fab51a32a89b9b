package dev.vmforge.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes dpkg's database ({@code /var/lib/dpkg}) into a {@link FileTree} for packages unpacked by
 * {@link DebUnpacker}, so that dpkg inside the image sees them as unpacked (to be configured later with
 * {@code dpkg --configure -a}) or installed.
 *
 * <p>What is written, as dpkg itself lays it out:
 * <ul>
 *   <li>{@code status}: one paragraph per package, sorted by name and architecture: its control fields
 *       with {@code Status} after {@code Package}, and {@code Conffiles} with the MD5 of each unpacked
 *       conffile (so dpkg treats them as unmodified). Paragraphs already in the tree's status file for
 *       other packages are kept.</li>
 *   <li>{@code info/NAME.list} ({@code /.} first, then every path of the package), {@code NAME.md5sums}
 *       (the package's, or computed when it has none), {@code NAME.conffiles}, and every other control
 *       member ({@code preinst}, {@code postinst}, {@code prerm}, {@code postrm}, {@code config},
 *       {@code triggers}, {@code shlibs}, {@code templates}, ...); scripts get mode 0755. NAME is
 *       {@code PKG:ARCH} for {@code Multi-Arch: same} packages.</li>
 *   <li>{@code info/format} (1), empty {@code available}, {@code diversions}, {@code statoverride},
 *       {@code arch} (the native architecture), and the {@code triggers/}, {@code updates/},
 *       {@code alternatives/} directories.</li>
 * </ul>
 */
public final class DpkgDatabase {
    public static final String DIR = "var/lib/dpkg";
    public static final String STATUS_FILE = DIR + "/status";

    /** The package state written to {@code status}. */
    public enum Status {
        /** Files in place, maintainer scripts still to run ({@code dpkg --configure -a}). */
        UNPACKED("install ok unpacked"),
        /** Fully installed; for trees whose scripts need not run, or ran elsewhere. */
        INSTALLED("install ok installed");

        private final String field;

        Status(String field) {
            this.field = field;
        }

        /** The value of the {@code Status:} field. */
        public String field() {
            return field;
        }
    }

    private static final List<String> EXECUTABLE = List.of("preinst", "postinst", "prerm", "postrm", "config");

    private DpkgDatabase() {
    }

    /** Adds the database for {@code packages}; the native architecture is the first package's that is not {@code all}. */
    public static void add(FileTree tree, List<UnpackedPackage> packages, Status status) throws IOException {
        String arch = packages.stream().map(p -> p.deb().architecture()).filter(a -> !a.equals("all"))
                .findFirst().orElse("amd64");
        add(tree, packages, status, arch);
    }

    public static void add(FileTree tree, List<UnpackedPackage> packages, Status status, String nativeArch)
            throws IOException {
        for (String dir : List.of("", "/info", "/triggers", "/updates", "/alternatives", "/parts")) {
            if (!tree.contains(DIR + dir)) {
                tree.add(FileEntry.directory(DIR + dir, 0755));
            }
        }
        for (String empty : List.of("available", "diversions", "statoverride")) {
            if (!tree.contains(DIR + "/" + empty)) {
                tree.add(FileEntry.file(DIR + "/" + empty, 0644, ""));
            }
        }
        tree.add(FileEntry.file(DIR + "/arch", 0644, nativeArch + "\n"));
        tree.add(FileEntry.file(DIR + "/info/format", 0644, "1\n"));

        Map<String, String> paragraphs = existingParagraphs(tree);
        for (UnpackedPackage p : packages) {
            addInfoFiles(tree, p);
            paragraphs.put(sortKey(p.deb().name(), p.deb().architecture()), statusParagraph(tree, p, status));
        }
        StringBuilder statusFile = new StringBuilder();
        paragraphs.values().forEach(paragraph -> statusFile.append(paragraph).append('\n')); // dpkg ends each with a blank line
        tree.add(FileEntry.file(STATUS_FILE, 0644, statusFile.toString()));
    }

    private static String sortKey(String name, String arch) {
        return name + "\0" + arch;
    }

    /** Paragraphs of a status file already in the tree, by package name and architecture. */
    private static Map<String, String> existingParagraphs(FileTree tree) throws IOException {
        Map<String, String> paragraphs = new TreeMap<>();
        Optional<FileEntry> existing = tree.get(STATUS_FILE);
        if (existing.isEmpty() || existing.get().type() != FileEntry.Type.FILE) {
            return paragraphs;
        }
        String text = new String(existing.get().content().readAllBytes(), StandardCharsets.UTF_8);
        for (String paragraph : text.split("\n\\s*\n")) {
            if (paragraph.isBlank()) {
                continue;
            }
            ControlFields fields = ControlFields.parse(paragraph);
            paragraphs.put(sortKey(fields.get("Package", ""), fields.get("Architecture", "")), fields.format());
        }
        return paragraphs;
    }

    static String statusParagraph(FileTree tree, UnpackedPackage p, Status status) throws IOException {
        ControlFields control = p.deb().control().without("Status").without("Conffiles");
        StringBuilder out = new StringBuilder();
        ControlFields.appendField(out, "Package", control.get("Package"));
        ControlFields.appendField(out, "Status", status.field());
        for (String name : control.names()) {
            if (!name.equalsIgnoreCase("Package")) {
                ControlFields.appendField(out, name, control.get(name));
            }
        }
        List<String> conffiles = p.deb().conffiles();
        if (!conffiles.isEmpty()) {
            StringBuilder value = new StringBuilder();
            for (String conffile : conffiles) {
                value.append("\n ").append(conffile).append(' ').append(conffileHash(tree, conffile));
            }
            ControlFields.appendField(out, "Conffiles", value.toString());
        }
        return out.toString();
    }

    /** The MD5 dpkg records for an unpacked conffile; {@code newconffile} if the package did not ship it. */
    private static String conffileHash(FileTree tree, String conffile) throws IOException {
        Optional<FileEntry> entry = tree.resolve(conffile);
        if (entry.isEmpty() || entry.get().type() != FileEntry.Type.FILE) {
            return "newconffile";
        }
        return md5(entry.get().content());
    }

    private static void addInfoFiles(FileTree tree, UnpackedPackage p) throws IOException {
        String prefix = DIR + "/info/" + p.deb().infoName() + ".";
        StringBuilder list = new StringBuilder("/.\n");
        for (String path : p.paths()) {
            list.append('/').append(path).append('\n');
        }
        tree.add(FileEntry.file(prefix + "list", 0644, list.toString()));
        for (String name : p.deb().controlFileNames()) {
            int mode = EXECUTABLE.contains(name) ? 0755 : 0644;
            tree.add(FileEntry.file(prefix + name, mode, Content.of(p.deb().controlFile(name))));
        }
        if (!p.deb().controlFileNames().contains("md5sums")) {
            tree.add(FileEntry.file(prefix + "md5sums", 0644, computedMd5sums(tree, p)));
        }
    }

    /** md5sums in dpkg's format for a package that ships none: regular files that are not conffiles. */
    private static String computedMd5sums(FileTree tree, UnpackedPackage p) throws IOException {
        List<String> conffiles = new ArrayList<>(p.deb().conffiles());
        StringBuilder out = new StringBuilder();
        for (String path : p.paths()) {
            if (conffiles.contains("/" + path)) {
                continue;
            }
            Optional<FileEntry> e = tree.get(tree.resolveParents(path));
            if (e.isPresent() && e.get().type() == FileEntry.Type.FILE) {
                out.append(md5(e.get().content())).append("  ").append(path).append('\n');
            }
        }
        return out.toString();
    }

    private static String md5(Content content) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java runtime", e);
        }
        try (var in = content.open()) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                md5.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }
}
