package io.kwsync.model.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the sink did with a window-job run, published on the job status topic under {@link JobStatusTopic#loadKey}:
 * committed (its partitions replaced, with the rows now in each), failed, or aborted at ingest's request. A failed run
 * changed nothing in the destination, except a MaxCompute run that failed while committing its partitions one by one:
 * its {@code written} then names the partitions it had replaced.
 *
 * @param written  destination partition spec ({@code ds=20221122}, empty for an unpartitioned table; {@code table/spec}
 *                 for a run routed to several tables) -> rows it holds after the commit
 * @param rejected rows the destination refused (sent to the error topic)
 * @param at       epoch milliseconds of the decision
 */
public record LoadResult(String runId, State state, String table, Map<String, Long> written, long rejected,
                         String reason, long at) {

    public enum State {
        COMMITTED, FAILED, ABORTED
    }

    public LoadResult {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(state, "state");
        written = written == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(written));
    }

    public long writtenTotal() {
        return written.values().stream().mapToLong(Long::longValue).sum();
    }
}
