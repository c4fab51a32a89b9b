package dev.vmforge.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpkgDatabaseTest {
    @TempDir
    Path dir;

    @Test
    void writesStatusInfoFilesAndTheEmptyDatabaseFiles() throws Exception {
        Path hello = new TestDeb()
                .controlFile("postinst", "#!/bin/sh\n")
                .controlFile("conffiles", "/etc/hello.conf\n")
                .controlFile("md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/bin/hello\n")
                .dir("./").dir("./etc/").file("./etc/hello.conf", "greeting=hi\n")
                .dir("./usr/").dir("./usr/bin/").file("./usr/bin/hello", "")
                .writeTo(dir.resolve("hello.deb"));
        Path libfoo = new TestDeb().control("Package: libfoo1\nVersion: 2\nArchitecture: amd64\nMulti-Arch: same\n")
                .dir("./usr/").dir("./usr/lib/").file("./usr/lib/libfoo.so.1", "so")
                .writeTo(dir.resolve("libfoo.deb"));
        FileTree tree = new FileTree();
        List<UnpackedPackage> packages = DebUnpacker.unpack(List.of(libfoo, hello), tree);

        DpkgDatabase.add(tree, packages, DpkgDatabase.Status.UNPACKED);

        String status = text(tree, "var/lib/dpkg/status");
        assertEquals("Package: hello\nStatus: install ok unpacked\nVersion: 1.0-1\nArchitecture: amd64\n"
                + "Maintainer: Test <t@example.org>\nDescription: greets\n a longer\n .\n description\n"
                + "Conffiles:\n /etc/hello.conf " + md5("greeting=hi\n") + "\n\n"
                + "Package: libfoo1\nStatus: install ok unpacked\nVersion: 2\nArchitecture: amd64\nMulti-Arch: same\n\n",
                status);
        assertEquals("/.\n/etc\n/etc/hello.conf\n/usr\n/usr/bin\n/usr/bin/hello\n", text(tree, "var/lib/dpkg/info/hello.list"));
        assertEquals("/.\n/usr\n/usr/lib\n/usr/lib/libfoo.so.1\n", text(tree, "var/lib/dpkg/info/libfoo1:amd64.list"));
        assertEquals(md5("so") + "  usr/lib/libfoo.so.1\n", text(tree, "var/lib/dpkg/info/libfoo1:amd64.md5sums"),
                "computed when the package has none");
        assertEquals("/etc/hello.conf\n", text(tree, "var/lib/dpkg/info/hello.conffiles"));
        assertEquals(0755, tree.get("var/lib/dpkg/info/hello.postinst").orElseThrow().mode());
        assertEquals("amd64\n", text(tree, "var/lib/dpkg/arch"));
        for (String empty : List.of("available", "diversions", "statoverride")) {
            assertEquals("", text(tree, "var/lib/dpkg/" + empty));
        }
        for (String d : List.of("triggers", "updates", "alternatives", "info")) {
            assertTrue(tree.get("var/lib/dpkg/" + d).orElseThrow().isDirectory(), d);
        }
    }

    @Test
    void installedStatusAndKeepingOtherPackagesAlreadyInTheStatusFile() throws Exception {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file(DpkgDatabase.STATUS_FILE, 0644,
                "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\n\n"
                        + "Package: hello\nStatus: install ok installed\nArchitecture: amd64\nVersion: 0.9\n\n"));
        Path hello = new TestDeb().file("./usr/bin/hello", "").writeTo(dir.resolve("hello.deb"));

        DpkgDatabase.add(tree, DebUnpacker.unpack(List.of(hello), tree), DpkgDatabase.Status.INSTALLED);

        String status = text(tree, DpkgDatabase.STATUS_FILE);
        assertTrue(status.startsWith("Package: hello\nStatus: install ok installed\nVersion: 1.0-1\n"), status);
        assertTrue(status.endsWith("Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\n\n"), status);
        assertTrue(!status.contains("0.9"), "the old hello paragraph is replaced");
    }

    static String text(FileTree tree, String path) throws Exception {
        return new String(tree.get(path).orElseThrow().content().readAllBytes(), StandardCharsets.UTF_8);
    }

    static String md5(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
