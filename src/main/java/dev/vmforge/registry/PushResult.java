package dev.vmforge.registry;

import java.util.List;

/**
 * What a push did.
 *
 * @param reference the first name pushed, with its tag
 * @param digest    the manifest's digest, as the registry confirmed it: {@code reference@digest} pins the push
 * @param tags      every tag the manifest was pushed under
 * @param uploaded  blobs sent, and their bytes
 * @param mounted   blobs mounted from another repository of the registry
 * @param existing  blobs the repository had already
 */
public record PushResult(RegistryReference reference, Digest digest, List<String> tags, int uploaded,
                         long uploadedBytes, int mounted, int existing) {
    public PushResult {
        tags = List.copyOf(tags);
    }

    /** {@code registry/repository@sha256:...}, the name to deploy. */
    public String pinned() {
        return reference.registry() + "/" + reference.repository() + "@" + digest;
    }
}
