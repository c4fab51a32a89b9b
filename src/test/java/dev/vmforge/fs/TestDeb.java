package dev.vmforge.fs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** Builds small (possibly malicious) .deb files for tests, with commons-compress. */
public final class TestDeb {
    private String control = "Package: hello\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: Test <t@example.org>\n"
            + "Description: greets\n a longer\n .\n description\n";
    private final Map<String, byte[]> controlFiles = new LinkedHashMap<>();
    private final List<Consumer<TarArchiveOutputStream>> data = new ArrayList<>();
    private String controlCompression = ".xz";
    private String dataCompression = ".xz";

    public TestDeb control(String text) {
        control = text;
        return this;
    }

    public TestDeb controlFile(String name, String text) {
        controlFiles.put(name, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    TestDeb compression(String controlSuffix, String dataSuffix) {
        controlCompression = controlSuffix;
        dataCompression = dataSuffix;
        return this;
    }

    TestDeb dir(String name) {
        return entry(name, TarConstants.LF_DIR, 0755, null, null);
    }

    TestDeb file(String name, String text) {
        return file(name, 0644, text);
    }

    TestDeb file(String name, int mode, String text) {
        return entry(name, TarConstants.LF_NORMAL, mode, null, text.getBytes(StandardCharsets.UTF_8));
    }

    TestDeb symlink(String name, String target) {
        return entry(name, TarConstants.LF_SYMLINK, 0777, target, null);
    }

    TestDeb hardlink(String name, String target) {
        return entry(name, TarConstants.LF_LINK, 0644, target, null);
    }

    TestDeb entry(String name, byte type, int mode, String link, byte[] content) {
        return raw(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true);
            e.setMode(mode);
            e.setModTime(1_700_000_000_000L);
            if (link != null) {
                e.setLinkName(link);
            }
            if (content != null) {
                e.setSize(content.length);
            }
            write(tar, e, content);
        });
    }

    /** Adds an entry written by the caller (devices, odd owners). */
    TestDeb raw(Consumer<TarArchiveOutputStream> writer) {
        data.add(writer);
        return this;
    }

    static void write(TarArchiveOutputStream tar, TarArchiveEntry e, byte[] content) {
        try {
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    public Path writeTo(Path file) throws IOException {
        byte[] controlTar = tar(tar -> {
            write(tar, new TarArchiveEntry("./", TarConstants.LF_DIR, true), null);
            writeControl(tar, "control", control.getBytes(StandardCharsets.UTF_8));
            controlFiles.forEach((name, bytes) -> writeControl(tar, name, bytes));
        }, controlCompression);
        byte[] dataTar = tar(tar -> data.forEach(d -> d.accept(tar)), dataCompression);
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(Files.newOutputStream(file))) {
            member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            member(ar, "control.tar" + controlCompression, controlTar);
            member(ar, "data.tar" + dataCompression, dataTar);
        }
        return file;
    }

    private static void writeControl(TarArchiveOutputStream tar, String name, byte[] bytes) {
        TarArchiveEntry e = new TarArchiveEntry("./" + name);
        e.setSize(bytes.length);
        e.setMode(name.endsWith("inst") || name.endsWith("rm") ? 0755 : 0644);
        write(tar, e, bytes);
    }

    private static void member(ArArchiveOutputStream ar, String name, byte[] bytes) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length));
        ar.write(bytes);
        ar.closeArchiveEntry();
    }

    private static byte[] tar(Consumer<TarArchiveOutputStream> body, String compression) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream compressed = compress(bytes, compression);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.accept(tar);
        }
        return bytes.toByteArray();
    }

    private static OutputStream compress(OutputStream out, String suffix) throws IOException {
        return switch (suffix) {
            case "" -> out;
            case ".gz" -> new GZIPOutputStream(out);
            case ".xz" -> new XZCompressorOutputStream(out);
            case ".zst" -> new ZstdCompressorOutputStream(out);
            case ".bz2" -> new BZip2CompressorOutputStream(out);
            default -> throw new IllegalArgumentException(suffix);
        };
    }
}
