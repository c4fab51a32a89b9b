package dev.vmforge.registry;

import dev.vmforge.BuildException;

/**
 * A registry operation failed; the message names the registry, what was being done and what to do about it,
 * and never holds a secret.
 */
public class RegistryException extends BuildException {
    private final boolean transientFailure;

    public RegistryException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public RegistryException(String message) {
        this(message, false, null);
    }

    /** Whether the same request may succeed later (a lost connection, a 5xx, a rate limit): it is retried. */
    public boolean isTransient() {
        return transientFailure;
    }
}
