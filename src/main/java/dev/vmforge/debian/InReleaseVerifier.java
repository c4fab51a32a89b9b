package dev.vmforge.debian;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * Verifies an {@code InRelease} file: an OpenPGP cleartext-signed message (RFC 4880 section 7).
 * Returns the signed text only when at least one signature was made by a key of the keyring,
 * was not made with a weak digest (MD5, SHA-1), and checks out over the canonical text.
 */
public final class InReleaseVerifier {
    private static final String BEGIN_MESSAGE = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";

    /** Why verification failed; the message says which file and what to do. */
    public static final class VerificationException extends Exception {
        public VerificationException(String message) {
            super(message);
        }
    }

    private InReleaseVerifier() {
    }

    /**
     * @return the signed text (lines joined with {@code \n}, ending with {@code \n})
     */
    public static String verify(byte[] inRelease, Keyring keyring, String where) throws VerificationException {
        String text = new String(inRelease, StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\r?\n", -1));
        int i = 0;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        if (i >= lines.size() || !lines.get(i).strip().equals(BEGIN_MESSAGE)) {
            throw new VerificationException(where + " is not signed (no '" + BEGIN_MESSAGE + "' header); unsigned archives are refused");
        }
        i++;
        while (i < lines.size() && !lines.get(i).isEmpty()) { // armor headers such as "Hash: SHA512"
            i++;
        }
        i++;
        List<String> body = new ArrayList<>();
        while (i < lines.size() && !lines.get(i).strip().equals(BEGIN_SIGNATURE)) {
            String line = lines.get(i);
            if (line.startsWith("-----BEGIN PGP SIGNED MESSAGE-----")) {
                throw new VerificationException(where + " holds more than one signed message; refused");
            }
            body.add(line.startsWith("- ") ? line.substring(2) : line);
            i++;
        }
        if (i >= lines.size()) {
            throw new VerificationException(where + " has no signature block; unsigned archives are refused");
        }
        String signatureArmor = String.join("\n", lines.subList(i, lines.size()));
        byte[] canonical = canonicalText(body);
        List<PGPSignature> signatures = readSignatures(signatureArmor, where);
        StringBuilder problems = new StringBuilder();
        for (PGPSignature signature : signatures) {
            String keyHex = String.format("%016X", signature.getKeyID());
            PGPPublicKey key = keyring.findKey(signature.getKeyID());
            if (key == null) {
                problems.append("; key ").append(keyHex).append(" is not in ").append(keyring);
                continue;
            }
            if (signature.getHashAlgorithm() == HashAlgorithmTags.MD5 || signature.getHashAlgorithm() == HashAlgorithmTags.SHA1) {
                problems.append("; signature by ").append(keyHex).append(" uses a weak digest");
                continue;
            }
            if (keyring.isRevoked(signature.getKeyID())) {
                problems.append("; key ").append(keyHex).append(" is revoked");
                continue;
            }
            try {
                signature.init(new JcaPGPContentVerifierBuilderProvider(), key);
                signature.update(canonical);
                if (signature.verify()) {
                    String signed = String.join("\n", body);
                    return signed.endsWith("\n") ? signed : signed + "\n";
                }
                problems.append("; BAD signature by key ").append(keyHex);
            } catch (PGPException e) {
                problems.append("; signature by ").append(keyHex).append(" cannot be checked: ").append(e.getMessage());
            }
        }
        throw new VerificationException(where + " has no valid signature by " + keyring + problems
                + ". The archive may be tampered with, or its key is missing: set <keyring> to the archive's public key file.");
    }

    /** Signed text per RFC 4880 7.1: trailing whitespace removed, CRLF line ends, none after the last line. */
    private static byte[] canonicalText(List<String> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < body.size(); k++) {
            if (k > 0) {
                out.write('\r');
                out.write('\n');
            }
            String line = body.get(k);
            int end = line.length();
            while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
                end--;
            }
            out.writeBytes(line.substring(0, end).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static List<PGPSignature> readSignatures(String armor, String where) throws VerificationException {
        List<PGPSignature> result = new ArrayList<>();
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armor.getBytes(StandardCharsets.US_ASCII)))) {
            JcaPGPObjectFactory factory = new JcaPGPObjectFactory(in);
            Object o;
            while ((o = factory.nextObject()) != null) {
                if (o instanceof PGPSignatureList) {
                    ((PGPSignatureList) o).forEach(result::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new VerificationException(where + ": unreadable signature block (" + e.getMessage() + "); refused");
        }
        if (result.isEmpty()) {
            throw new VerificationException(where + ": signature block holds no signature; refused");
        }
        return result;
    }

    /**
     * Checks {@code Valid-Until} (and that {@code Date} is not in the future beyond a day of clock skew).
     *
     * @param skipValidUntil for snapshot mirrors, whose Release files are expired by design
     */
    static void checkDates(ReleaseFile release, Instant now, boolean skipValidUntil, String where) throws VerificationException {
        if (release.date() != null && release.date().isAfter(now.plusSeconds(86400))) {
            throw new VerificationException(where + " is dated " + release.date() + ", in the future; check the clock of this machine");
        }
        if (!skipValidUntil && release.validUntil() != null && release.validUntil().isBefore(now)) {
            throw new VerificationException(where + " expired on " + release.validUntil()
                    + " (Valid-Until); the mirror is stale or replaying old data. Use an up-to-date mirror, or a snapshot.debian.org URL to pin a date.");
        }
    }
}
