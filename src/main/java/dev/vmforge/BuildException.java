package dev.vmforge;

/**
 * A build failure the user can act on: the message says what failed and how to fix it.
 * The Maven adapter turns it into a {@code MojoFailureException}.
 */
public class BuildException extends RuntimeException {
    public BuildException(String message) {
        super(message);
    }

    public BuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
