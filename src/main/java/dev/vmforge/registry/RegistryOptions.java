package dev.vmforge.registry;

import dev.vmforge.BuildLog;

import java.time.Duration;

/**
 * How a {@link RegistryClient} talks to a registry.
 *
 * @param allowInsecure   plain HTTP and unverified certificates allowed (with a warning); loopback registries may
 *                        use plain HTTP regardless
 * @param connectTimeout  to open a connection
 * @param requestTimeout  for a response to a request without a large body
 * @param minimumRate     bytes per second an upload is allowed to take at worst: a chunk of N bytes may take
 *                        {@code requestTimeout + N / minimumRate}
 * @param stallTimeout    a download that receives nothing for this long is abandoned
 * @param attempts        tries of a request that fails transiently (lost connection, 5xx, 429)
 * @param firstBackoff    wait before the second try; doubled for each further one
 * @param chunkSize       blobs up to this size are uploaded in one PUT, larger ones in PATCH chunks of it
 * @param insecureSetting how the user allows insecure registries, for messages
 */
public record RegistryOptions(boolean allowInsecure, Duration connectTimeout, Duration requestTimeout,
                              long minimumRate, Duration stallTimeout, int attempts, Duration firstBackoff,
                              int chunkSize, String insecureSetting, BuildLog log) {
    /** The setting of vm:push-docker-image. */
    public static final String DOCKER_INSECURE_SETTING = "<docker><allowInsecureRegistries>true</allowInsecureRegistries>"
            + " (-Dvm.docker.allowInsecureRegistries=true)";

    public RegistryOptions {
        if (attempts < 1 || chunkSize < 1 || minimumRate < 1) {
            throw new IllegalArgumentException("attempts, chunkSize and minimumRate must be positive");
        }
    }

    public static RegistryOptions defaults(BuildLog log) {
        return new RegistryOptions(false, Duration.ofSeconds(20), Duration.ofSeconds(60), 64 * 1024,
                Duration.ofSeconds(60), 4, Duration.ofSeconds(1), 32 << 20, DOCKER_INSECURE_SETTING, log);
    }

    public RegistryOptions withAllowInsecure(boolean allow) {
        return new RegistryOptions(allow, connectTimeout, requestTimeout, minimumRate, stallTimeout, attempts,
                firstBackoff, chunkSize, insecureSetting, log);
    }

    public RegistryOptions withRetries(int tries, Duration backoff) {
        return new RegistryOptions(allowInsecure, connectTimeout, requestTimeout, minimumRate, stallTimeout, tries,
                backoff, chunkSize, insecureSetting, log);
    }

    public RegistryOptions withChunkSize(int bytes) {
        return new RegistryOptions(allowInsecure, connectTimeout, requestTimeout, minimumRate, stallTimeout, attempts,
                firstBackoff, bytes, insecureSetting, log);
    }

    public RegistryOptions withTimeouts(Duration connect, Duration request, Duration stall) {
        return new RegistryOptions(allowInsecure, connect, request, minimumRate, stall, attempts, firstBackoff,
                chunkSize, insecureSetting, log);
    }

    /** The same options where messages name another setting that allows insecure registries. */
    public RegistryOptions withInsecureSetting(String setting) {
        return new RegistryOptions(allowInsecure, connectTimeout, requestTimeout, minimumRate, stallTimeout, attempts,
                firstBackoff, chunkSize, setting, log);
    }

    /** Time allowed for a request that sends {@code bodyBytes}. */
    Duration timeoutFor(long bodyBytes) {
        return requestTimeout.plusSeconds(bodyBytes / minimumRate);
    }
}
