package dev.vmforge.substitute;

import dev.vmforge.os.InvalidConfigurationException;
import dev.vmforge.registry.RegistryReference;

import java.util.Optional;

/**
 * {@code <substitutes>} read and checked: the OCI repository that holds them, the keys whose signatures are
 * trusted, and (to publish what this build makes) the key that signs.
 *
 * @param repository    {@code registry/repository}, the reference part unused (tags are derivation keys)
 * @param publish       push the substitutable outputs this build made ({@code -Dvm.substitutes.publish})
 * @param signingKey    present whenever {@code publish} is
 * @param allowInsecure plain HTTP or unverified TLS allowed for a registry not on loopback
 */
public record SubstituteSettings(RegistryReference repository, boolean publish, TrustedKeys trustedKeys,
                                 Optional<SigningKey> signingKey, boolean allowInsecure) {
    /** The settings.xml server whose {@code <passphrase>} unlocks the signing key. */
    public static final String SERVER_ID = "vm-substitutes";
    /** The environment variable that may hold it instead. */
    public static final String PASSPHRASE_VARIABLE = "VM_SUBSTITUTES_PASSPHRASE";

    public SubstituteSettings {
        if (publish && signingKey.isEmpty()) {
            throw new InvalidConfigurationException(SigningKey.ELEMENT, "publishing substitutes"
                    + " (<substitutes><publish>, -Dvm.substitutes.publish) signs them, but no signing key is set: "
                    + SigningKey.HOW_TO_CREATE + ", then set <signingKey> to the secret file");
        }
        if (trustedKeys.isEmpty()) {
            throw new InvalidConfigurationException("substitutes/trustedKeys", "no trusted key: substitutes are"
                    + " used only when signed by one of <trustedKeys><trustedKey>FILE</trustedKey></trustedKeys>"
                    + " (OpenPGP public keys, gpg --armor --export), or turn them off with -Dvm.substitutes=false");
        }
    }

    /** Parses {@code <substitutes><registry>}: {@code host[:port]/repository}. */
    public static RegistryReference repository(String registry) {
        try {
            RegistryReference reference = RegistryReference.parse(registry);
            if (!registry.strip().startsWith(reference.registry())) {
                throw new IllegalArgumentException("it names no registry host");
            }
            return reference;
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("substitutes/registry", "'" + registry + "' is not an OCI"
                    + " repository (" + e.getMessage() + "): write host[:port]/path, e.g."
                    + " registry.example.com/team/vm-cache");
        }
    }
}
