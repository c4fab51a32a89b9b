package dev.vmforge.configure;

import dev.vmforge.BuildLog;
import dev.vmforge.fs.FileEntry;
import dev.vmforge.fs.FileTree;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavaKeystoresTest {
    /** A self-signed test certificate (CN=vmforge-test, EC P-256), made for this test. */
    static final String CERTIFICATE = "MIIBhTCCASugAwIBAgIUU7nQBvhjOc0kl6A+fakt/E4u5/8wCgYIKoZIzj0EAwIwFzEVMBMGA1UEAwwMdm1mb3JnZS10ZXN0MCAXDTI2MTIwMTExMTgyNVoYDzIxMjYxMTA3MTExODI1WjAXMRUwEwYDVQQDDAx2bWZvcmdlLXRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATes/D0k8SM2qewx28gt+ZJ7TegWKuwC5vRQUc12kA0v+m8T9JTipFodSe1To1PRHFY5ZztHOLZG0NLnUp4X27Xo1MwUTAdBgNVHQ4EFgQUZ5GyQk3q15noirjP8aNoaM7roSgwHwYDVR0jBBgwFoAUZ5GyQk3q15noirjP8aNoaM7roSgwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA1UbBNU38hBBbO5DoYTvmTBtFcuF5+ZO+fsDhJZhsDSoCIBDdj9Aim7dCM8Rp9XQkIdgwepPfi+fR+2S+mYsnv3Yb";

    static Certificate certificate() throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(CERTIFICATE)));
    }

    /** A JKS keystore as ca-certificates-java writes it: trusted certificates dated now. */
    static byte[] jks(String password, String... aliases) throws Exception {
        KeyStore ks = KeyStore.getInstance("JKS");
        ks.load(null, null);
        for (String alias : aliases) {
            ks.setCertificateEntry(alias, certificate());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password.toCharArray());
        return out.toByteArray();
    }

    @Test
    void twoKeystoresWrittenAtDifferentTimesBecomeIdenticalAndStayReadable() throws Exception {
        byte[] first = jks("changeit", "debian:a.pem", "debian:b.pem");
        Thread.sleep(5);
        byte[] second = jks("changeit", "debian:a.pem", "debian:b.pem");
        assertFalse(java.util.Arrays.equals(first, second), "JKS records each entry's time of addition");

        FileTree one = tree(first);
        FileTree two = tree(second);
        List<String> warnings = new ArrayList<>();
        assertEquals(List.of("etc/ssl/certs/java/cacerts"), JavaKeystores.normalize(one, 1_767_225_600L, log(warnings)));
        JavaKeystores.normalize(two, 1_767_225_600L, log(warnings));
        byte[] a = one.get("etc/ssl/certs/java/cacerts").orElseThrow().content().readAllBytes();
        assertArrayEquals(a, two.get("etc/ssl/certs/java/cacerts").orElseThrow().content().readAllBytes());
        assertEquals(List.of(), warnings);

        // the JDK still reads it, with its password, and finds the certificates dated by the build's timestamp
        KeyStore ks = KeyStore.getInstance("JKS");
        ks.load(new ByteArrayInputStream(a), "changeit".toCharArray());
        assertEquals(List.of("debian:a.pem", "debian:b.pem"), java.util.Collections.list(ks.aliases()).stream().sorted().toList());
        assertEquals(new Date(1_767_225_600_000L), ks.getCreationDate("debian:a.pem"));
        assertEquals(certificate(), ks.getCertificate("debian:b.pem"));
        // and normalising again changes nothing
        assertEquals(List.of(), JavaKeystores.normalize(one, 1_767_225_600L, log(warnings)));
    }

    @Test
    void aKeystoreWithAnotherPasswordIsLeftAloneWithAWarning() throws Exception {
        byte[] original = jks("secret-pass", "mine");
        FileTree tree = tree(original);
        List<String> warnings = new ArrayList<>();
        assertEquals(List.of(), JavaKeystores.normalize(tree, 1L, log(warnings)));
        assertArrayEquals(original, tree.get("etc/ssl/certs/java/cacerts").orElseThrow().content().readAllBytes());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("/etc/ssl/certs/java/cacerts") && warnings.get(0).contains("will not be reproducible"),
                warnings.get(0));
    }

    @Test
    void otherFilesAreNotTouched() throws Exception {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("etc/short", 0644, "x"));
        tree.add(FileEntry.file("etc/text", 0644, "not a keystore, long enough to be read as one"));
        assertEquals(List.of(), JavaKeystores.normalize(tree, 1L, log(new ArrayList<>())));
        assertEquals("x", new String(tree.get("etc/short").orElseThrow().content().readAllBytes()));
    }

    static FileTree tree(byte[] keystore) {
        FileTree tree = new FileTree();
        tree.add(FileEntry.file("etc/ssl/certs/java/cacerts", 0644, dev.vmforge.fs.Content.of(keystore)));
        return tree;
    }

    static BuildLog log(List<String> warnings) {
        return new BuildLog() {
            @Override public void info(String message) { }
            @Override public void warn(String message) { warnings.add(message); }
            @Override public void debug(String message) { }
            @Override public boolean isDebugEnabled() { return false; }
        };
    }
}
