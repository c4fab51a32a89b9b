package dev.vmforge.substitute;

import dev.vmforge.os.InvalidConfigurationException;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * The OpenPGP secret key that signs published substitutes ({@code <substitutes><signingKey>}), unlocked once.
 * Its passphrase is used here and never kept or printed.
 */
public final class SigningKey {
    static final String ELEMENT = "substitutes/signingKey";
    /** How to make a key, for the messages that need one. */
    public static final String HOW_TO_CREATE = "create one with: gpg --batch --passphrase '' --quick-gen-key"
            + " 'CI substitutes <ci@example.com>' rsa3072 sign never && gpg --armor --export-secret-keys"
            + " ci@example.com > substitutes-secret.asc && gpg --armor --export ci@example.com > src/vm/substitutes.asc"
            + " (keep the secret file out of the repository; the public one goes in <trustedKeys>)";

    private final PGPPublicKey publicKey;
    private final PGPPrivateKey privateKey;
    private final Path file;

    private SigningKey(PGPPublicKey publicKey, PGPPrivateKey privateKey, Path file) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
        this.file = file;
    }

    /**
     * Reads the first signing-capable secret key of {@code file} (armored or binary).
     *
     * @param passphrase empty for a key without one
     */
    public static SigningKey load(Path file, char[] passphrase) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidConfigurationException(ELEMENT, "cannot read " + file + " (" + e.getMessage() + "); "
                    + HOW_TO_CREATE);
        }
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            PGPSecretKeyRingCollection rings = new PGPSecretKeyRingCollection(in, new JcaKeyFingerprintCalculator());
            for (Iterator<PGPSecretKeyRing> r = rings.getKeyRings(); r.hasNext(); ) {
                for (Iterator<PGPSecretKey> k = r.next().getSecretKeys(); k.hasNext(); ) {
                    PGPSecretKey key = k.next();
                    if (key.isSigningKey() && !key.getPublicKey().hasRevocation()) {
                        return new SigningKey(key.getPublicKey(), unlock(key, passphrase, file), file);
                    }
                }
            }
        } catch (IOException | PGPException | RuntimeException e) {
            throw new InvalidConfigurationException(ELEMENT, file + " is not an OpenPGP secret key file ("
                    + e.getMessage() + "); " + HOW_TO_CREATE);
        }
        throw new InvalidConfigurationException(ELEMENT, file + " holds no secret key that can sign; " + HOW_TO_CREATE);
    }

    private static PGPPrivateKey unlock(PGPSecretKey key, char[] passphrase, Path file) {
        try {
            return key.extractPrivateKey(new JcePBESecretKeyDecryptorBuilder()
                    .setProvider(new BouncyCastleProvider()).build(passphrase));
        } catch (PGPException e) {
            // never the passphrase itself: only where it comes from
            throw new InvalidConfigurationException(ELEMENT, "cannot unlock the key " + keyId(key.getKeyID()) + " of "
                    + file + ": wrong or missing passphrase (the settings.xml server '" + SubstituteSettings.SERVER_ID
                    + "' <passphrase>, or the environment variable " + SubstituteSettings.PASSPHRASE_VARIABLE + ")");
        }
    }

    /** A binary detached signature over {@code data}. */
    byte[] sign(byte[] data) {
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(new JcaPGPContentSignerBuilder(
                    publicKey.getAlgorithm(), HashAlgorithmTags.SHA256).setProvider(new BouncyCastleProvider()),
                    publicKey);
            generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
            generator.update(data);
            return generator.generate().getEncoded();
        } catch (PGPException | IOException e) {
            throw new IllegalStateException("cannot sign with the key " + keyId() + " of " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** The key id in hex, as gpg shows it. */
    public String keyId() {
        return keyId(publicKey.getKeyID());
    }

    static String keyId(long id) {
        return String.format("%016X", id);
    }

    @Override
    public String toString() {
        return "signing key " + keyId() + " (" + file + ")";
    }
}
