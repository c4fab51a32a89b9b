package dev.vmforge.registry;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;

/**
 * Runs a registry operation again after a transient failure (a lost connection, HTTP 5xx or 429), waiting
 * longer each time; a permanent failure or the last attempt's failure is thrown as a {@link RegistryException}.
 */
final class Retry {
    private final String registry;
    private final RegistryOptions options;

    Retry(String registry, RegistryOptions options) {
        this.registry = registry;
        this.options = options;
    }

    /** One try of an operation; {@code attempt} counts from 1. */
    @FunctionalInterface
    interface Attempt<T> {
        T run(int attempt) throws IOException;
    }

    <T> T run(String what, Attempt<T> operation) {
        Duration wait = options.firstBackoff();
        for (int attempt = 1; ; attempt++) {
            RegistryException failure;
            String brief;
            try {
                return operation.run(attempt);
            } catch (IOException e) {
                failure = RegistryErrors.network(registry, what, e);
                brief = NetworkFailure.of(e).description + " (" + NetworkFailure.detail(e) + ")";
            } catch (RegistryException e) {
                failure = e;
                brief = e.getMessage();
            }
            if (!failure.isTransient() || attempt >= options.attempts()) {
                throw failure;
            }
            options.log().warn(String.format(Locale.ROOT, "Registry %s: %s failed: %s; trying again in %.1f s"
                    + " (attempt %d of %d)", registry, what, brief, wait.toMillis() / 1000.0, attempt + 1,
                    options.attempts()));
            sleep(wait);
            wait = wait.multipliedBy(2);
        }
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("Interrupted while waiting to retry a request to registry " + registry);
        }
    }
}
