package dev.vmforge.debian;

import dev.vmforge.BuildException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;

/**
 * A set of trusted OpenPGP public keys. {@link #debianArchive()} is Debian's archive keys bundled with
 * the plugin (bookworm and trixie: stable release, automatic and security-automatic keys), copied from
 * the {@code debian-archive-keyring} package.
 */
public final class Keyring {
    static final String[] BUNDLED = {
        "debian-archive-bookworm-stable.gpg", "debian-archive-bookworm-automatic.gpg",
        "debian-archive-bookworm-security-automatic.gpg", "debian-archive-trixie-stable.gpg",
        "debian-archive-trixie-automatic.gpg", "debian-archive-trixie-security-automatic.gpg"};

    private final List<PGPPublicKeyRing> rings;
    private final String description;

    private Keyring(List<PGPPublicKeyRing> rings, String description) {
        this.rings = List.copyOf(rings);
        this.description = description;
    }

    private static Keyring bundled;

    /** Debian's archive keys shipped in the plugin jar. */
    public static synchronized Keyring debianArchive() {
        if (bundled == null) {
            List<PGPPublicKeyRing> rings = new ArrayList<>();
            for (String name : BUNDLED) {
                try (InputStream in = Keyring.class.getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IllegalStateException("bundled keyring " + name + " missing from the plugin");
                    }
                    rings.addAll(read(in.readAllBytes(), name));
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read bundled keyring " + name, e);
                }
            }
            bundled = new Keyring(rings, "the bundled Debian archive keys");
        }
        return bundled;
    }

    /** Reads a keyring file, binary ({@code .gpg}) or ASCII-armored ({@code .asc}). */
    public static Keyring load(Path file) {
        try {
            return new Keyring(read(Files.readAllBytes(file), file.toString()), "keyring " + file);
        } catch (IOException e) {
            throw new BuildException("Cannot read keyring " + file + ": " + e.getMessage()
                    + ". Point <keyring> at an OpenPGP public keyring file (binary or armored).", e);
        }
    }

    /** A keyring from bytes (binary or armored); used by tests and for {@code Signed-By} blocks. */
    public static Keyring of(byte[] keyringBytes, String description) {
        try {
            return new Keyring(read(keyringBytes, description), description);
        } catch (IOException e) {
            throw new BuildException("Cannot read " + description + ": " + e.getMessage(), e);
        }
    }

    private static List<PGPPublicKeyRing> read(byte[] bytes, String where) throws IOException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        // An armored file may hold several armor blocks; a binary keyring is a concatenation of rings.
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            PGPPublicKeyRingCollection collection = new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
            collection.getKeyRings().forEachRemaining(rings::add);
        } catch (PGPException e) {
            throw new IOException(where + " is not an OpenPGP public keyring: " + e.getMessage(), e);
        }
        if (rings.isEmpty()) {
            throw new IOException(where + " holds no public keys");
        }
        return rings;
    }

    /** The key (primary or subkey) with this id, or null. */
    public PGPPublicKey findKey(long keyId) {
        for (PGPPublicKeyRing ring : rings) {
            PGPPublicKey key = ring.getPublicKey(keyId);
            if (key != null) {
                return key;
            }
        }
        return null;
    }

    /** Whether a key's primary key carries a revocation (then no signature by it or its subkeys counts). */
    public boolean isRevoked(long keyId) {
        for (PGPPublicKeyRing ring : rings) {
            if (ring.getPublicKey(keyId) != null) {
                return ring.getPublicKey().hasRevocation();
            }
        }
        return false;
    }

    int size() {
        return rings.size();
    }

    Iterator<PGPPublicKeyRing> rings() {
        return rings.iterator();
    }

    @Override
    public String toString() {
        return description;
    }
}
