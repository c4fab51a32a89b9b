package dev.vmforge.registry;

import dev.vmforge.BuildLog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pushes a manifest and its blobs to a repository under one or more tags, sending as little as possible: a blob
 * the repository has is skipped ({@code HEAD}), one that another repository of the registry got from this
 * machine is mounted, the others are uploaded, a few at a time. The manifest goes last, once every blob is there.
 */
public final class ImagePusher {
    private static final int PARALLEL_BLOBS = 3;

    private final BlobLocations locations;
    private final BuildLog log;

    public ImagePusher(BlobLocations locations, BuildLog log) {
        this.locations = locations;
        this.log = log;
    }

    private enum How { EXISTING, MOUNTED, UPLOADED }

    private record Placed(Blob blob, How how) {
    }

    /**
     * Pushes {@code image} to {@code repository} under each of {@code tags} (at least one).
     *
     * @throws RegistryException naming the registry, the blob or manifest, and what to do
     */
    public PushResult push(RepositoryClient repository, ImageContent image, List<String> tags) {
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("no tag to push");
        }
        Digest config = image.manifest().imageManifest().config().digest();
        List<Placed> placed = placeBlobs(repository, image.blobs(), config);
        locations.record(repository.registry(), repository.repository(),
                image.blobs().stream().map(Blob::digest).toList());
        Digest digest = null;
        for (String tag : tags) {
            digest = repository.putManifest(tag, image.manifest());
        }
        List<Placed> uploaded = placed.stream().filter(p -> p.how() == How.UPLOADED).toList();
        return new PushResult(new RegistryReference(repository.registry(), repository.repository(), tags.get(0)),
                digest, tags, uploaded.size(), uploaded.stream().mapToLong(p -> p.blob().size()).sum(),
                (int) placed.stream().filter(p -> p.how() == How.MOUNTED).count(),
                (int) placed.stream().filter(p -> p.how() == How.EXISTING).count());
    }

    private List<Placed> placeBlobs(RepositoryClient repository, List<Blob> blobs, Digest config) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL_BLOBS, blobs.size())), r -> {
            Thread t = new Thread(r, "registry-push");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Placed>> futures = new ArrayList<>();
            for (Blob blob : blobs) {
                futures.add(pool.submit(() -> place(repository, blob, blob.digest().equals(config) ? "config" : "layer")));
            }
            List<Placed> placed = new ArrayList<>();
            for (Future<Placed> future : futures) {
                placed.add(future.get());
            }
            return placed;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("Interrupted while pushing to " + repository.registry());
        } finally {
            pool.shutdownNow();
        }
    }

    private Placed place(RepositoryClient repository, Blob blob, String role) {
        long start = System.nanoTime();
        String what;
        How how;
        if (repository.blobSize(blob.digest()).isPresent()) {
            how = How.EXISTING;
            what = "already there";
        } else {
            BlobUploader.Outcome outcome = repository.putBlob(blob,
                    locations.repositories(repository.registry(), blob.digest()));
            how = outcome.mounted() ? How.MOUNTED : How.UPLOADED;
            what = outcome.mounted() ? "mounted from " + outcome.mountedFrom() : "uploaded";
        }
        log.info(String.format(Locale.ROOT, "  %-6s %s %9s: %s (%.1f s)", role, blob.digest().shortHex(),
                TransferProgress.size(blob.size()), what, (System.nanoTime() - start) / 1e9));
        return new Placed(blob, how);
    }
}
