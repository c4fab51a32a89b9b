package dev.vmforge.fs;

import dev.vmforge.BuildException;
import dev.vmforge.Sha256;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.XZInputStream;

/**
 * A Debian binary package read from its {@code .deb} file (an ar archive of {@code debian-binary},
 * {@code control.tar[.gz|.xz|.zst]} and {@code data.tar[.gz|.xz|.zst|.bz2]}).
 *
 * <p>{@link #read(Path)} reads the small control part only and stops before the data member.
 * {@link #readData(DataVisitor)} streams the data entries, decompressing once, never touching the disk.
 * Instances are immutable.
 */
public final class DebPackage {
    /** Control members dpkg runs or interprets, in the order dpkg documents them. */
    public static final List<String> MAINTAINER_SCRIPTS =
            List.of("preinst", "postinst", "prerm", "postrm", "config", "triggers");

    private static final int BUFFER = 1 << 16;

    /** Receives the entries of the data archive in archive order. */
    @FunctionalInterface
    public interface DataVisitor {
        /**
         * @param entry   the raw tar header (name as in the archive, usually starting with {@code ./})
         * @param content the entry's bytes, readable until this method returns
         */
        void entry(TarArchiveEntry entry, InputStream content) throws IOException;
    }

    private final Path file;
    private final String formatVersion;
    private final ControlFields control;
    private final Map<String, byte[]> controlFiles;

    private DebPackage(Path file, String formatVersion, ControlFields control, Map<String, byte[]> controlFiles) {
        this.file = file;
        this.formatVersion = formatVersion;
        this.control = control;
        this.controlFiles = controlFiles;
    }

    /**
     * Reads the package's control part.
     *
     * @throws BuildException if the file is not a Debian binary package
     */
    public static DebPackage read(Path deb) throws IOException {
        return read(deb, null);
    }

    /**
     * Reads the control part and, in the same pass, streams the data entries to {@code visitor} (if not null).
     *
     * @throws BuildException if the file is not a Debian binary package
     */
    public static DebPackage read(Path deb, DataVisitor visitor) throws IOException {
        return read(deb, visitor, null);
    }

    /**
     * As {@link #read(Path, DataVisitor)}, checking in the same pass that the whole file has the SHA-256
     * {@code expectedSha256} (when not null): a cached package is trusted only while it still matches its index.
     *
     * @throws CorruptFileException when it does not (its data must then not be used)
     */
    public static DebPackage read(Path deb, DataVisitor visitor, String expectedSha256) throws IOException {
        MessageDigest sha256 = expectedSha256 == null ? null : Sha256.newDigest();
        InputStream file = Files.newInputStream(deb);
        try (InputStream raw = new BufferedInputStream(sha256 == null ? file : new DigestInputStream(file, sha256), BUFFER);
             ArArchiveInputStream ar = new ArArchiveInputStream(raw)) {
            ArArchiveEntry first = ar.getNextArEntry();
            if (first == null || !memberName(first).equals("debian-binary")) {
                throw invalid(deb, "it does not start with a 'debian-binary' member");
            }
            String version = new String(ar.readNBytes(64), StandardCharsets.US_ASCII).strip();
            if (!version.startsWith("2.")) {
                throw invalid(deb, "unsupported format version '" + version + "' (expected 2.x)");
            }
            ControlFields control = null;
            Map<String, byte[]> controlFiles = null;
            boolean sawData = false;
            for (ArArchiveEntry member = ar.getNextArEntry(); member != null; member = ar.getNextArEntry()) {
                String name = memberName(member);
                if (name.startsWith("control.tar")) {
                    controlFiles = readControlTar(deb, decompress(deb, name, ar));
                    byte[] controlFile = controlFiles.remove("control");
                    if (controlFile == null) {
                        throw invalid(deb, "its " + name + " has no 'control' file");
                    }
                    control = parseControl(deb, controlFile);
                } else if (name.startsWith("data.tar")) {
                    if (control == null) {
                        throw invalid(deb, "'" + name + "' comes before the control archive");
                    }
                    sawData = true;
                    if (visitor == null) {
                        break; // the caller wants the control part only: do not decompress the data
                    }
                    if (name.endsWith(".xz")) {
                        try (InputStream data = decompressXz(deb, member, ar)) { // stops its decoding threads
                            streamDataTar(data, visitor);
                        }
                    } else {
                        streamDataTar(decompress(deb, name, ar), visitor);
                    }
                } else if (!name.startsWith("_")) {
                    throw invalid(deb, "unexpected member '" + name + "'");
                }
            }
            if (control == null || !sawData) {
                throw invalid(deb, "it lacks a " + (control == null ? "control" : "data") + " archive");
            }
            if (sha256 != null) {
                raw.transferTo(OutputStream.nullOutputStream()); // the rest of the file (ar padding) is hashed too
                String actual = HexFormat.of().formatHex(sha256.digest());
                if (!actual.equals(expectedSha256)) {
                    throw new CorruptFileException(deb, "its SHA-256 is " + actual + ", its index says " + expectedSha256);
                }
            }
            return new DebPackage(deb, version, control, Collections.unmodifiableMap(controlFiles));
        } catch (CorruptFileException e) {
            throw e;
        } catch (BuildException e) {
            if (sha256 != null) {
                throw new CorruptFileException(deb, e.getMessage());
            }
            throw e;
        } catch (IOException e) {
            if (sha256 != null) {
                // an unreadable package that should match its index is a damaged cache entry, not a bad package
                throw new CorruptFileException(deb, "it cannot be read: " + e.getMessage());
            }
            if (e.getMessage() != null && e.getMessage().startsWith(deb.toString())) {
                throw e;
            }
            throw new IOException(deb + ": cannot read the package: " + e.getMessage(), e);
        }
    }

    /** Streams the data entries of this package's file again. */
    public void readData(DataVisitor visitor) throws IOException {
        read(file, visitor);
    }

    public Path file() {
        return file;
    }

    /** The {@code debian-binary} version, e.g. {@code 2.0}. */
    public String formatVersion() {
        return formatVersion;
    }

    /** All fields of the {@code control} file. */
    public ControlFields control() {
        return control;
    }

    public String name() {
        return control.get("Package");
    }

    public String version() {
        return control.get("Version");
    }

    public String architecture() {
        return control.get("Architecture");
    }

    /** {@code same}, {@code foreign}, {@code allowed} or {@code no} (the default). */
    public String multiArch() {
        return control.get("Multi-Arch", "no");
    }

    /**
     * The name dpkg gives this package's files in {@code /var/lib/dpkg/info}: {@code NAME}, or
     * {@code NAME:ARCH} for {@code Multi-Arch: same} packages, which may be installed once per architecture.
     */
    public String infoName() {
        return multiArch().equals("same") ? name() + ":" + architecture() : name();
    }

    /** Names of the control members besides {@code control} (md5sums, conffiles, scripts, shlibs, ...), sorted. */
    public Set<String> controlFileNames() {
        return controlFiles.keySet();
    }

    /** The bytes of a control member other than {@code control}, or null when the package has none. */
    public byte[] controlFile(String name) {
        byte[] bytes = controlFiles.get(name);
        return bytes == null ? null : bytes.clone();
    }

    /** The maintainer scripts the package has (subset of {@link #MAINTAINER_SCRIPTS}), by name, with their bytes. */
    public Map<String, byte[]> maintainerScripts() {
        Map<String, byte[]> scripts = new LinkedHashMap<>();
        for (String name : MAINTAINER_SCRIPTS) {
            if (controlFiles.containsKey(name)) {
                scripts.put(name, controlFile(name));
            }
        }
        return scripts;
    }

    /** Absolute paths listed in {@code conffiles} (flags such as {@code remove-on-upgrade} are dropped). */
    public List<String> conffiles() {
        List<String> paths = new ArrayList<>();
        for (String line : text("conffiles").split("\n")) {
            String[] words = line.strip().split("\\s+");
            String path = words[words.length - 1];
            if (path.startsWith("/")) {
                paths.add(path);
            }
        }
        return paths;
    }

    /** The {@code md5sums} member: relative path (as in the data archive, without {@code ./}) to hex digest. */
    public Map<String, String> md5sums() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : text("md5sums").split("\n")) {
            int space = line.indexOf(' ');
            if (space == 32) {
                sums.put(line.substring(space).strip(), line.substring(0, space));
            }
        }
        return sums;
    }

    @Override
    public String toString() {
        return name() + " " + version() + " (" + architecture() + ") from " + file;
    }

    private String text(String controlFile) {
        byte[] bytes = controlFiles.get(controlFile);
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    private static String memberName(ArArchiveEntry member) {
        String name = member.getName();
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name; // GNU ar ends names with '/'
    }

    private static InputStream decompress(Path deb, String member, InputStream in) throws IOException {
        InputStream buffered = new BufferedInputStream(in, BUFFER);
        String suffix = member.substring(member.indexOf(".tar") + 4);
        switch (suffix) {
            case "":
                return buffered;
            case ".gz":
                return new GZIPInputStream(buffered, BUFFER);
            case ".xz":
                // xz-java directly, with a cache for the dictionary buffers (8-64 MiB each) reused across packages
                return new BufferedInputStream(new XZInputStream(buffered, -1, BasicArrayCache.getInstance()), BUFFER);
            case ".zst":
                return new BufferedInputStream(new ZstdCompressorInputStream(buffered), BUFFER);
            case ".bz2":
                return new BufferedInputStream(new BZip2CompressorInputStream(buffered), BUFFER);
            default:
                throw invalid(deb, "member '" + member + "' uses an unknown compression");
        }
    }

    /**
     * The data member read whole (tens of MB at most), so that its xz blocks can be decoded in parallel
     * like dpkg-deb does; the decompressed side still streams.
     */
    private static InputStream decompressXz(Path deb, ArArchiveEntry member, InputStream ar) throws IOException {
        if (member.getLength() > Integer.MAX_VALUE - 16) {
            throw invalid(deb, "its data member is too large (" + member.getLength() + " bytes)");
        }
        byte[] xz = new byte[(int) member.getLength()];
        if (ar.readNBytes(xz, 0, xz.length) != xz.length) {
            throw invalid(deb, "it is truncated");
        }
        InputStream decoded = ParallelXzInputStream.open(xz, Runtime.getRuntime().availableProcessors());
        return decoded instanceof ParallelXzInputStream ? decoded : new BufferedInputStream(decoded, BUFFER);
    }

    private static Map<String, byte[]> readControlTar(Path deb, InputStream in) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            if (e.isDirectory()) {
                continue;
            }
            String name = e.getName().startsWith("./") ? e.getName().substring(2) : e.getName();
            if (name.isEmpty() || name.contains("/")) {
                throw invalid(deb, "unexpected control member '" + e.getName() + "'");
            }
            if (e.isFile()) {
                files.put(name, tar.readAllBytes());
            }
        }
        return files;
    }

    private static ControlFields parseControl(Path deb, byte[] bytes) {
        ControlFields fields;
        try {
            fields = ControlFields.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw invalid(deb, "its control file is malformed: " + e.getMessage());
        }
        for (String required : List.of("Package", "Version", "Architecture")) {
            if (fields.get(required) == null) {
                throw invalid(deb, "its control file has no " + required + " field");
            }
        }
        return fields;
    }

    private static void streamDataTar(InputStream in, DataVisitor visitor) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8");
        for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
            visitor.entry(e, tar);
        }
    }

    private static BuildException invalid(Path deb, String reason) {
        return new BuildException(deb + " is not a valid Debian package: " + reason
                + ". Delete it from the download cache so that it is fetched again.");
    }
}
