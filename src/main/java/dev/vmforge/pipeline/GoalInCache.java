package dev.vmforge.pipeline;

import dev.vmforge.BuildLog;
import dev.vmforge.gc.BuildRecord;
import dev.vmforge.store.Store;
import dev.vmforge.store.StoreSweeper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What a goal leaves in the caches besides its outputs: a {@link BuildRecord} in the shared cache while it runs
 * (so vm:gc keeps what it uses), and, when it ends, a project store without the outputs its own replaced
 * ({@link StoreSweeper#removeSuperseded}).
 */
final class GoalInCache {
    private final Optional<BuildRecord> record;
    private final BuildLog log;

    private GoalInCache(Optional<BuildRecord> record, BuildLog log) {
        this.record = record;
        this.log = log;
    }

    static GoalInCache start(Path cacheDirectory, BuildLog log) {
        try {
            return new GoalInCache(Optional.of(BuildRecord.start(cacheDirectory)), log);
        } catch (IOException e) {
            // a read-only or full cache: the goal can still run; only vm:gc sees it no more
            log.debug("cannot record the goal in " + cacheDirectory + ": " + e.getMessage());
            return new GoalInCache(Optional.empty(), log);
        }
    }

    void end(Store projectStore) {
        try {
            StoreSweeper.Swept swept = new StoreSweeper(projectStore, log).removeSuperseded(Instant.now());
            if (swept.removed() > 0) {
                log.info(String.format(Locale.ROOT, "Removed %d output(s) of earlier configurations from %s (%.1f MiB)",
                        swept.removed(), projectStore.root(), swept.removedBytes() / (1024.0 * 1024)));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not remove the outputs of earlier configurations from " + projectStore.root() + ": "
                    + e.getMessage());
        }
        try {
            if (record.isPresent()) {
                record.get().close();
            }
        } catch (IOException e) {
            log.debug("cannot close the goal's record: " + e.getMessage());
        }
    }
}
