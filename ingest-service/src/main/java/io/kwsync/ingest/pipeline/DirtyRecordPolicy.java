package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestConfig;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides what a dirty record does to the stream: goes to the error topic and the stream goes on, or stops the
 * connector. Policy stop stops at the first; policy continue stops once more dirty records than the limit
 * (KWSYNC_ERROR_LIMIT, the spec's errorLimit) were seen by this replica since it started.
 */
public final class DirtyRecordPolicy {

    private final IngestConfig.FailurePolicy policy;
    private final long limit;
    private final AtomicLong dirty = new AtomicLong();

    /**
     * @param limit dirty records tolerated; negative for no limit
     */
    public DirtyRecordPolicy(IngestConfig.FailurePolicy policy, long limit) {
        this.policy = policy;
        this.limit = limit;
    }

    /** Counts one dirty record; true when it must stop the connector instead of going to the error topic. */
    public boolean stops() {
        long n = dirty.incrementAndGet();
        return policy == IngestConfig.FailurePolicy.STOP || (limit >= 0 && n > limit);
    }

    /** Why {@link #stops()} said so, for health and logs. */
    public String why() {
        return policy == IngestConfig.FailurePolicy.STOP
                ? "KWSYNC_FAILURE_POLICY is stop"
                : "more than KWSYNC_ERROR_LIMIT=" + limit + " dirty records";
    }

    public long dirtyRecords() {
        return dirty.get();
    }
}
