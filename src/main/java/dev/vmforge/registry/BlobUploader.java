package dev.vmforge.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts one blob into a repository (distribution spec, "pushing blobs"): mounted from another repository of the
 * same registry when one is known to hold it, otherwise uploaded, in one PUT when it is at most a chunk, else in
 * PATCH chunks with {@code Content-Range}. A transient failure is retried: a chunked upload resumes where the
 * registry says it stands ({@code GET} of the session's {@code Range}), anything else starts a new session. The
 * digest the registry answers must be the blob's.
 */
final class BlobUploader {
    private static final Pattern RANGE = Pattern.compile("(?:bytes=)?0-(\\d+)");
    private static final int MAX_MOUNT_TRIES = 3;

    private final RegistryTransport transport;
    private final Retry retry;
    private final String repository;

    BlobUploader(RegistryTransport transport, String repository) {
        this.transport = transport;
        this.retry = new Retry(transport.registry(), transport.options());
        this.repository = repository;
    }

    /** How a blob got into the repository. */
    record Outcome(boolean mounted, String mountedFrom) {
        static final Outcome UPLOADED = new Outcome(false, null);
    }

    /**
     * Mounts {@code blob} from the first of {@code mountFrom} (repositories of this registry) that has it, or
     * uploads it.
     */
    Outcome put(Blob blob, List<String> mountFrom) {
        URI session = null;
        for (String from : mountFrom.stream().filter(r -> !r.equals(repository)).limit(MAX_MOUNT_TRIES).toList()) {
            Optional<URI> started = retry.run("mounting " + blob.digest().shortHex() + " from " + from,
                    attempt -> mount(blob.digest(), from));
            if (started.isEmpty()) {
                return new Outcome(true, from);
            }
            if (session != null) {
                cancel(session);
            }
            session = started.get(); // the registry did not mount, but opened an upload session instead
        }
        upload(blob, session);
        return Outcome.UPLOADED;
    }

    /**
     * {@code POST ...?mount=DIGEST&from=REPO}: empty when mounted (201), else the upload session the registry
     * opened instead (202).
     */
    Optional<URI> mount(Digest digest, String from) throws IOException {
        URI uri = transport.endpoint().api(repository + "/blobs/uploads/?mount=" + digest + "&from="
                + URLEncoder.encode(from, StandardCharsets.UTF_8));
        RegistryResponse response = transport.send(transport.call("POST", uri,
                Set.of(AccessScope.push(repository), AccessScope.pull(from))));
        if (response.status() == 201) {
            checkDigest(response, digest);
            return Optional.empty();
        }
        if (response.status() == 202) {
            return Optional.of(response.location(transport.registry()));
        }
        throw transport.failure(response, repository, true, "mounting " + digest + " from " + from);
    }

    /** Uploads {@code blob}, in {@code session} if one is open already. */
    void upload(Blob blob, URI openSession) {
        String what = "uploading " + blob.digest().shortHex() + " (" + TransferProgress.size(blob.size()) + ") to "
                + repository;
        TransferProgress progress = new TransferProgress(transport.options().log(), "uploading "
                + blob.digest().shortHex(), blob.size());
        Upload upload = new Upload(blob, progress, openSession);
        retry.run(what, upload::attempt);
    }

    /** One blob's upload across its attempts: the session and how much the registry has. */
    private final class Upload {
        private final Blob blob;
        private final TransferProgress progress;
        private URI session;
        private long offset;
        private boolean resumable;

        Upload(Blob blob, TransferProgress progress, URI openSession) {
            this.blob = blob;
            this.progress = progress;
            this.session = openSession;
        }

        Void attempt(int attempt) throws IOException {
            if (attempt > 1) {
                resumeOrRestart();
            }
            if (session == null) {
                session = start();
                offset = 0;
            }
            int chunk = transport.options().chunkSize();
            if (blob.size() <= chunk && offset == 0) {
                finish(blob.size()); // monolithic: the whole blob with the closing PUT
                return null;
            }
            resumable = true;
            while (offset < blob.size()) {
                long length = Math.min(chunk, blob.size() - offset);
                RegistryResponse response = transport.send(new RegistryTransport.Call("PATCH", session,
                        scopes(), Map.of("Content-Type", "application/octet-stream",
                        "Content-Range", offset + "-" + (offset + length - 1)), body(offset, length),
                        transport.options().timeoutFor(length)));
                if (response.status() != 202) {
                    throw transport.failure(response, repository, true, "uploading a chunk of " + blob.digest());
                }
                session = response.location(transport.registry());
                offset = acknowledged(response).orElse(offset + length);
            }
            finish(0);
            return null;
        }

        /** The closing {@code PUT ?digest=}, carrying the last {@code length} bytes (all of them, or none). */
        private void finish(long length) throws IOException {
            String separator = session.getRawQuery() == null ? "?" : "&";
            URI put = URI.create(session + separator + "digest=" + URLEncoder.encode(blob.digest().toString(),
                    StandardCharsets.UTF_8));
            RegistryResponse response = transport.send(new RegistryTransport.Call("PUT", put, scopes(),
                    Map.of("Content-Type", "application/octet-stream"),
                    length == 0 ? HttpRequest.BodyPublishers.noBody() : body(0, length),
                    transport.options().timeoutFor(length)));
            if (response.status() != 201) {
                throw transport.failure(response, repository, true, "completing the upload of " + blob.digest());
            }
            checkDigest(response, blob.digest());
            progress.at(blob.size());
        }

        /** After a failure: where the registry's session stands, or a new session when it cannot say. */
        private void resumeOrRestart() {
            if (session != null && resumable) {
                try {
                    RegistryResponse status = transport.send(transport.call("GET", session, scopes()));
                    // "0-0" is both "nothing" and "one byte": start again rather than guess
                    Optional<Long> stored = status.status() == 204 ? acknowledged(status).filter(n -> n > 1)
                            : Optional.empty();
                    if (stored.isPresent()) {
                        session = status.header("Location").isPresent() ? status.location(transport.registry())
                                : session;
                        offset = stored.get();
                        transport.options().log().debug("Resuming the upload of " + blob.digest() + " at byte "
                                + offset);
                        return;
                    }
                } catch (IOException | RegistryException e) {
                    transport.options().log().debug("The upload session of " + blob.digest() + " is gone: "
                            + e.getMessage());
                }
            }
            session = null;
            offset = 0;
        }

        private URI start() throws IOException {
            RegistryResponse response = transport.send(transport.call("POST",
                    transport.endpoint().api(repository + "/blobs/uploads/"), scopes()));
            if (response.status() != 202) {
                throw transport.failure(response, repository, true, "starting the upload of " + blob.digest());
            }
            return response.location(transport.registry());
        }

        /** The bytes {@code from} .. {@code from + length}, counted into the progress as they are sent. */
        private HttpRequest.BodyPublisher body(long from, long length) {
            return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    progress.at(from);
                    InputStream in = blob.source().open(from);
                    return progress.counting(org.apache.commons.io.input.BoundedInputStream.builder()
                            .setInputStream(in).setMaxCount(length).setPropagateClose(true).get());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the content of " + blob.digest(), e);
                }
            }), length);
        }
    }

    /** The bytes the registry says it has ({@code Range: 0-LAST}), if it says. */
    private static Optional<Long> acknowledged(RegistryResponse response) {
        Optional<String> range = response.header("Range");
        if (range.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = RANGE.matcher(range.get().strip());
        return m.matches() ? Optional.of(Long.parseLong(m.group(1)) + 1) : Optional.empty();
    }

    private Set<AccessScope> scopes() {
        return Set.of(AccessScope.push(repository));
    }

    /** Best effort: a session left open expires on the registry anyway. */
    private void cancel(URI session) {
        try {
            transport.send(transport.call("DELETE", session, scopes()));
        } catch (IOException | RegistryException e) {
            transport.options().log().debug("Could not cancel an upload session: " + e.getMessage());
        }
    }

    private void checkDigest(RegistryResponse response, Digest expected) {
        Optional<Digest> stored = response.contentDigest(transport.registry());
        if (stored.isPresent() && !stored.get().equals(expected)) {
            throw new RegistryException("Registry " + transport.registry() + " stored " + stored.get() + " in "
                    + repository + " for the blob " + expected + ": the content changed on the way; push again");
        }
    }
}
