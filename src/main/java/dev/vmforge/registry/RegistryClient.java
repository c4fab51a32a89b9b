package dev.vmforge.registry;

import java.util.Optional;
import java.util.Set;

/**
 * A client of one registry, on the JDK's HTTP client: no daemon, no container engine. {@link #connect} finds how
 * to reach it (HTTPS, or plain HTTP where allowed), which authentication it asks for, and the user's credentials
 * for it; {@link #push} and {@link #pull} give its repositories.
 */
public final class RegistryClient {
    private final RegistryTransport transport;

    private RegistryClient(RegistryTransport transport) {
        this.transport = transport;
    }

    /**
     * Connects to {@code registry} ({@code host[:port]}, {@code docker.io} for Docker Hub).
     *
     * @throws RegistryException if it cannot be reached, is no registry, or refuses the credentials found
     */
    public static RegistryClient connect(String registry, CredentialSource credentials, RegistryOptions options) {
        Optional<Credentials> found = credentials.lookup(registry);
        options.log().debug("Registry " + registry + ": " + found.map(Credentials::describe)
                .orElse("no credentials found"));
        RegistryEndpoint.Ping ping = new Retry(registry, options).run("connecting",
                attempt -> RegistryEndpoint.connect(registry, options));
        RegistryAuthenticator auth = new RegistryAuthenticator(ping.endpoint(), found, ping.challenges(), options);
        RegistryTransport transport = new RegistryTransport(ping.endpoint(), auth, options);
        if (ping.status() == 401 && auth.sendsBasic()) {
            checkBasicCredentials(transport);
        }
        return new RegistryClient(transport);
    }

    /** With Basic authentication a wrong password shows at once, before anything is uploaded. */
    private static void checkBasicCredentials(RegistryTransport transport) {
        RegistryResponse response = new Retry(transport.registry(), transport.options()).run(
                "checking the credentials", attempt -> {
                    RegistryResponse r = transport.send(transport.call("GET", transport.endpoint().api(""), Set.of()));
                    if (r.status() >= 500 || r.status() == 429) {
                        throw RegistryErrors.unexpected(transport.registry(), "checking the credentials", r);
                    }
                    return r;
                });
        if (response.status() == 401) {
            throw RegistryErrors.credentialsRefused(transport.registry(), transport.auth().credentials(),
                    transport.registry());
        }
    }

    public String registry() {
        return transport.registry();
    }

    /** The credentials in use, if any were found. */
    public Optional<Credentials> credentials() {
        return transport.auth().credentials();
    }

    /** A repository to push to (and read from). */
    public RepositoryClient push(String repository) {
        return new RepositoryClient(transport, repository, true);
    }

    /** A repository to read from. */
    public RepositoryClient pull(String repository) {
        return new RepositoryClient(transport, repository, false);
    }
}
