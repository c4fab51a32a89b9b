package dev.vmforge.debian;

import dev.vmforge.Sha256;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;

/**
 * Builds a tiny signed Debian repository in a directory, for offline tests: .debs (ar with debian-binary,
 * control.tar.gz, data.tar.xz), {@code dists/SUITE/main/binary-amd64/Packages.xz}, and {@code InRelease}
 * clear-signed with a test key generated here (once per JVM).
 */
final class FixtureRepository {
    static final String SUITE = "testing-fixture";

    /** A test signing key: secret part to sign, public keyring bytes to trust. */
    record TestKey(PGPSecretKey secret, byte[] publicKeyring) {
    }

    private static TestKey key;
    private static TestKey otherKey;

    static synchronized TestKey key() {
        if (key == null) {
            key = generateKey("Fixture Archive <fixture@example.org>");
        }
        return key;
    }

    /** A second key, trusted by nobody: signatures by it must be refused. */
    static synchronized TestKey otherKey() {
        if (otherKey == null) {
            otherKey = generateKey("Impostor <impostor@example.org>");
        }
        return otherKey;
    }

    private static TestKey generateKey(String userId) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
            kpg.initialize(2048);
            PGPKeyPair pair = new JcaPGPKeyPair(PublicKeyPacket.VERSION_4, PGPPublicKey.RSA_GENERAL, kpg.generateKeyPair(), new Date());
            PGPDigestCalculator sha1 = new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
            PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, userId, sha1, null, null,
                    new JcaPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
            return new TestKey(gen.generateSecretKeyRing().getSecretKey(), gen.generatePublicKeyRing().getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One fake package: control fields beyond Package/Version/Architecture. */
    record Pkg(String name, String version, String arch, Map<String, String> fields) {
        static Pkg of(String name, String version, String... keyValues) {
            Map<String, String> f = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                f.put(keyValues[i], keyValues[i + 1]);
            }
            return new Pkg(name, version, "amd64", f);
        }
    }

    private final Path root;
    private final List<Pkg> packages = new ArrayList<>();
    private Instant date = Instant.now().minusSeconds(3600);
    private Instant validUntil = Instant.now().plusSeconds(7 * 86400);
    private TestKey signer = key();
    private String releaseSuite = SUITE;

    FixtureRepository(Path root) {
        this.root = root;
    }

    FixtureRepository add(Pkg... pkgs) {
        packages.addAll(List.of(pkgs));
        return this;
    }

    /** The Release file's {@code Date}. */
    FixtureRepository date(Instant when) {
        this.date = when;
        return this;
    }

    FixtureRepository validUntil(Instant when) {
        this.validUntil = when;
        return this;
    }

    FixtureRepository signedBy(TestKey k) {
        this.signer = k;
        return this;
    }

    FixtureRepository releaseSuite(String suite) {
        this.releaseSuite = suite;
        return this;
    }

    Path root() {
        return root;
    }

    PackageSource source(Path keyringFile) {
        return new PackageSource(root.toUri(), SUITE, List.of("main"), "amd64", keyringFile);
    }

    /** Writes everything; returns the path of the trusted keyring file. */
    Path write() throws IOException {
        StringBuilder index = new StringBuilder();
        for (Pkg p : packages) {
            byte[] deb = deb(p);
            String filename = "pool/main/" + p.name().charAt(0) + "/" + p.name() + "/" + p.name() + "_" + p.version().replace(':', '%') + "_" + p.arch() + ".deb";
            Path file = root.resolve(filename);
            Files.createDirectories(file.getParent());
            Files.write(file, deb);
            index.append(control(p)).append("Filename: ").append(filename).append('\n')
                    .append("Size: ").append(deb.length).append('\n')
                    .append("SHA256: ").append(Sha256.hex(deb)).append('\n')
                    .append("Description: fixture package\n multi-line description\n .\n done\n\n");
        }
        Path dists = root.resolve("dists").resolve(SUITE);
        Path packagesXz = dists.resolve("main/binary-amd64/Packages.xz");
        Files.createDirectories(packagesXz.getParent());
        Files.write(packagesXz, xz(index.toString().getBytes(StandardCharsets.UTF_8)));
        writeRelease();
        Path keyring = root.resolve("fixture-keyring.gpg");
        Files.write(keyring, key().publicKeyring());
        return keyring;
    }

    /** (Re)writes Release and InRelease over the current Packages.xz. */
    void writeRelease() throws IOException {
        Path dists = root.resolve("dists").resolve(SUITE);
        byte[] xzBytes = Files.readAllBytes(dists.resolve("main/binary-amd64/Packages.xz"));
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
        String release = "Origin: Fixture\nLabel: Fixture\nSuite: " + releaseSuite + "\nCodename: fixture\n"
                + "Date: " + fmt.format(date) + "\nValid-Until: " + fmt.format(validUntil) + "\n"
                + "Architectures: amd64\nComponents: main\nDescription: test fixture\nSHA256:\n"
                + " " + Sha256.hex(xzBytes) + " " + xzBytes.length + " main/binary-amd64/Packages.xz\n";
        Files.writeString(dists.resolve("Release"), release);
        Files.writeString(dists.resolve("InRelease"), clearSign(release, signer));
    }

    static String control(Pkg p) {
        StringBuilder b = new StringBuilder();
        b.append("Package: ").append(p.name()).append('\n').append("Version: ").append(p.version()).append('\n')
                .append("Architecture: ").append(p.arch()).append('\n');
        if (!p.fields().containsKey("Priority")) {
            b.append("Priority: optional\n");
        }
        p.fields().forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
        return b.toString();
    }

    static byte[] deb(Pkg p) throws IOException {
        byte[] control = tar(Map.of("./control", (control(p) + "Maintainer: Test <t@example.org>\nDescription: fixture\n").getBytes(StandardCharsets.UTF_8)), false);
        byte[] data = tar(Map.of("./usr/share/doc/" + p.name() + "/README", ("package " + p.name() + "\n").getBytes(StandardCharsets.UTF_8)), true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
            arEntry(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
            arEntry(ar, "control.tar.gz", control);
            arEntry(ar, "data.tar.xz", data);
        }
        return out.toByteArray();
    }

    private static void arEntry(ArArchiveOutputStream ar, String name, byte[] content) throws IOException {
        ar.putArchiveEntry(new ArArchiveEntry(name, content.length, 0, 0, 0100644, 1_700_000_000L));
        ar.write(content);
        ar.closeArchiveEntry();
    }

    private static byte[] tar(Map<String, byte[]> files, boolean useXz) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream compressed = useXz ? new XZCompressorOutputStream(out) : new GzipCompressorOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(compressed)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZCompressorOutputStream xz = new XZCompressorOutputStream(out)) {
            xz.write(data);
        }
        return out.toByteArray();
    }

    /** An OpenPGP cleartext signature (RFC 4880 7) of the text, as Debian's InRelease. */
    static String clearSign(String text, TestKey k) {
        try {
            var privateKey = k.secret().extractPrivateKey(new JcePBESecretKeyDecryptorBuilder().build(new char[0]));
            PGPSignatureGenerator gen = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(k.secret().getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), k.secret().getPublicKey());
            gen.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, privateKey);
            String[] lines = text.split("\n", -1);
            int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < count; i++) {
                String line = lines[i];
                if (i > 0) {
                    gen.update("\r\n".getBytes(StandardCharsets.UTF_8));
                }
                gen.update(line.stripTrailing().getBytes(StandardCharsets.UTF_8));
                body.append(line.startsWith("-") ? "- " + line : line).append('\n');
            }
            ByteArrayOutputStream sig = new ByteArrayOutputStream();
            try (ArmoredOutputStream armor = new ArmoredOutputStream(sig)) {
                gen.generate().encode(armor);
            }
            return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + body + sig.toString(StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
