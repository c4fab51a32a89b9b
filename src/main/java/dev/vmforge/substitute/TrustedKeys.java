package dev.vmforge.substitute;

import dev.vmforge.debian.Keyring;
import dev.vmforge.os.InvalidConfigurationException;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The OpenPGP public keys of {@code <substitutes><trustedKeys>}: whose signatures make a substitute usable. */
public final class TrustedKeys {
    private final List<Keyring> keyrings;
    private final List<Path> files;

    private TrustedKeys(List<Keyring> keyrings, List<Path> files) {
        this.keyrings = List.copyOf(keyrings);
        this.files = List.copyOf(files);
    }

    public static TrustedKeys load(List<Path> files) {
        List<Keyring> keyrings = new ArrayList<>();
        for (Path file : files) {
            try {
                keyrings.add(Keyring.of(Files.readAllBytes(file), "trusted key " + file));
            } catch (IOException | RuntimeException e) {
                throw new InvalidConfigurationException("substitutes/trustedKeys/trustedKey", "cannot read the"
                        + " OpenPGP public key " + file + " (" + e.getMessage() + "): point it at a key exported"
                        + " with gpg --armor --export");
            }
        }
        return new TrustedKeys(keyrings, files);
    }

    public boolean isEmpty() {
        return keyrings.isEmpty();
    }

    /** Why a substitute is refused: the message names the key id when there is one. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Checks that {@code signature} (a detached OpenPGP signature, binary or armored) signs {@code data} with one of
     * these keys.
     *
     * @return the id of the key that made it
     * @throws Refused naming the key id and what is wrong with it
     */
    String verify(byte[] data, byte[] signature) throws Refused {
        List<PGPSignature> signatures = read(signature);
        List<String> problems = new ArrayList<>();
        for (PGPSignature s : signatures) {
            String id = SigningKey.keyId(s.getKeyID());
            PGPPublicKey key = find(s.getKeyID());
            if (key == null) {
                problems.add("signed by key " + id + ", which is not among the trusted keys " + files);
            } else if (s.getHashAlgorithm() == HashAlgorithmTags.MD5 || s.getHashAlgorithm() == HashAlgorithmTags.SHA1) {
                problems.add("the signature by key " + id + " uses a weak digest");
            } else if (revoked(s.getKeyID())) {
                problems.add("key " + id + " is revoked");
            } else {
                try {
                    s.init(new JcaPGPContentVerifierBuilderProvider().setProvider(new BouncyCastleProvider()), key);
                    s.update(data);
                    if (s.verify()) {
                        return id;
                    }
                    problems.add("BAD signature by key " + id + " (the manifest is not the one it signed)");
                } catch (PGPException e) {
                    problems.add("the signature by key " + id + " cannot be checked: " + e.getMessage());
                }
            }
        }
        throw new Refused(String.join("; ", problems));
    }

    private PGPPublicKey find(long id) {
        return keyrings.stream().map(k -> k.findKey(id)).filter(k -> k != null).findFirst().orElse(null);
    }

    private boolean revoked(long id) {
        return keyrings.stream().anyMatch(k -> k.findKey(id) != null && k.isRevoked(id));
    }

    private static List<PGPSignature> read(byte[] bytes) throws Refused {
        List<PGPSignature> result = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes))) {
            JcaPGPObjectFactory factory = new JcaPGPObjectFactory(in);
            for (Object o; (o = factory.nextObject()) != null; ) {
                if (o instanceof PGPSignatureList list) {
                    list.forEach(result::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Refused("its signature cannot be read (" + e.getMessage() + ")");
        }
        if (result.isEmpty()) {
            throw new Refused("its signature blob holds no OpenPGP signature");
        }
        return result;
    }

    @Override
    public String toString() {
        return files.toString();
    }
}
