package dev.vmforge.substitute;

import dev.vmforge.registry.Descriptor;
import dev.vmforge.registry.Digest;
import dev.vmforge.registry.ImageManifest;
import dev.vmforge.registry.MediaTypes;
import dev.vmforge.store.DerivationKey;
import dev.vmforge.store.EntryFile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a store entry travels as an OCI artifact, tagged by its derivation key: one layer per file (its path in
 * the {@code org.opencontainers.image.title} annotation), the key, derivation name and plugin version as
 * annotations. Its signature is another artifact, tagged {@code KEY.sig}, whose one layer is a detached OpenPGP
 * signature over the text of the entry manifest's digest ({@code sha256:HEX}).
 */
final class SubstituteArtifact {
    static final String ENTRY_TYPE = "application/vnd.vmforge.store-entry.v1";
    static final String SIGNATURE_TYPE = "application/vnd.vmforge.store-entry.signature.v1";
    static final String FILE_TYPE = "application/vnd.vmforge.store-file.v1";
    static final String SIGNATURE_FILE_TYPE = "application/pgp-signature";
    static final String TITLE = "org.opencontainers.image.title";
    static final String KEY = "dev.vmforge.key";
    static final String DERIVATION = "dev.vmforge.derivation";
    static final String PLUGIN_VERSION = "dev.vmforge.plugin-version";
    static final String SIGNED = "dev.vmforge.signed-manifest";
    /** The config of an artifact without one. */
    static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*");

    private SubstituteArtifact() {
    }

    static String tag(DerivationKey key) {
        return key.hex();
    }

    static String signatureTag(DerivationKey key) {
        return key.hex() + ".sig";
    }

    static Descriptor emptyConfig() {
        return new Descriptor(MediaTypes.OCI_EMPTY, Digest.sha256(EMPTY_CONFIG), EMPTY_CONFIG.length);
    }

    static ImageManifest entry(DerivationKey key, String name, String pluginVersion, List<EntryFile> files) {
        List<Descriptor> layers = new ArrayList<>();
        for (EntryFile file : files) {
            layers.add(new Descriptor(FILE_TYPE, new Digest("sha256", file.sha256()), file.size(),
                    Map.of(TITLE, file.path())));
        }
        return ImageManifest.oci(ENTRY_TYPE, emptyConfig(), layers,
                Map.of(KEY, key.hex(), DERIVATION, name, PLUGIN_VERSION, pluginVersion));
    }

    static ImageManifest signature(DerivationKey key, Digest signedManifest, byte[] signature) {
        return ImageManifest.oci(SIGNATURE_TYPE, emptyConfig(), List.of(new Descriptor(SIGNATURE_FILE_TYPE,
                Digest.sha256(signature), signature.length)), Map.of(KEY, key.hex(), SIGNED, signedManifest.toString()));
    }

    /** What the signature signs: the manifest's digest as text. */
    static byte[] signedBytes(Digest manifest) {
        return manifest.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The files of an entry manifest fetched for {@code key}, after checking it is one, for that key and
     * derivation (a signed manifest of another entry, re-tagged, is refused).
     *
     * @throws TrustedKeys.Refused saying what does not match
     */
    static List<Descriptor> files(ImageManifest manifest, DerivationKey key, String name) throws TrustedKeys.Refused {
        if (!ENTRY_TYPE.equals(manifest.artifactType())) {
            throw new TrustedKeys.Refused("it is not a store entry (artifactType " + manifest.artifactType() + ")");
        }
        if (!key.hex().equals(manifest.annotations().get(KEY)) || !name.equals(manifest.annotations().get(DERIVATION))) {
            throw new TrustedKeys.Refused("its manifest is for " + manifest.annotations().get(DERIVATION) + " "
                    + manifest.annotations().get(KEY) + ", not this derivation");
        }
        for (Descriptor layer : manifest.layers()) {
            String path = layer.annotations().get(TITLE);
            if (path == null || !SAFE_PATH.matcher(path).matches() || List.of(path.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
                throw new TrustedKeys.Refused("it names an unsafe file path: " + path);
            }
        }
        return manifest.layers();
    }
}
