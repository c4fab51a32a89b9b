package dev.vmforge.store;

/**
 * The identity of a derivation's output: the SHA-256 of the canonical encoding of its declared {@link Inputs}.
 * Equal keys mean "same output", so a derivation whose key already has an output in the store is not run again.
 */
public record DerivationKey(String hex) {

    public DerivationKey {
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256: " + hex);
        }
    }

    /** Short form used in store entry and log file names. */
    public String shortHex() {
        return hex.substring(0, 32);
    }

    @Override
    public String toString() {
        return hex;
    }
}
