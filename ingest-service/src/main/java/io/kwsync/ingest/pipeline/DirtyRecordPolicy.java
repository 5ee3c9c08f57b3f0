package io.kwsync.ingest.pipeline;

import io.kwsync.runtime.config.ServiceConfig;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides what a dirty record does to the stream: goes to the error topic and the stream goes on, or stops the
 * connector. Policy stop stops at the first; policy continue stops once more dirty records than the limit
 * (KWSYNC_ERROR_LIMIT, the Kafka Reader's errorLimit) are known to the connector.
 *
 * <p>The count survives restarts: it starts from the dirty records of this connector already on the error topic
 * ({@link DirtyRecordHistory}), and a record is counted once by its source coordinates, so a record read again after
 * a restart or a rebalance (sent to the error topic, but its offset not yet committed) does not use the budget twice.
 */
public final class DirtyRecordPolicy {

    private final ServiceConfig.FailurePolicy policy;
    private final long limit;
    private final Set<String> counted = ConcurrentHashMap.newKeySet();
    private final AtomicLong seen = new AtomicLong();

    /**
     * @param limit dirty records tolerated; negative for no limit
     * @param recorded source coordinates ({@code topic-partition@offset}) of dirty records already on the error topic
     */
    public DirtyRecordPolicy(ServiceConfig.FailurePolicy policy, long limit, Set<String> recorded) {
        this.policy = policy;
        this.limit = limit;
        counted.addAll(recorded);
    }

    /**
     * Counts one dirty record by its source coordinates; true when it must stop the connector instead of going to the
     * error topic. A record counted before (already on the error topic) goes there again and does not stop.
     */
    public boolean stops(String coordinates) {
        seen.incrementAndGet();
        if (policy == ServiceConfig.FailurePolicy.STOP) return true;
        if (limit < 0) {
            return false;
        }
        synchronized (counted) {
            if (counted.contains(coordinates)) return false;
            if (counted.size() >= limit) return true; // this one would be number limit + 1
            counted.add(coordinates);
            return false;
        }
    }

    /** Whether the count must be read from the error topic at start (policy continue with a positive limit). */
    public static boolean needsHistory(ServiceConfig.FailurePolicy policy, long limit) {
        return policy == ServiceConfig.FailurePolicy.CONTINUE && limit > 0;
    }

    /** Why {@link #stops} said so, for health and logs. */
    public String why() {
        return policy == ServiceConfig.FailurePolicy.STOP
                ? "KWSYNC_FAILURE_POLICY is stop"
                : "more than KWSYNC_ERROR_LIMIT=" + limit + " dirty records";
    }

    /** Dirty records this replica has seen since it started (re-read ones included). */
    public long dirtyRecords() {
        return seen.get();
    }

    /** Distinct dirty records counted against the limit: those on the error topic before the start, and since. */
    public long counted() {
        return counted.size();
    }
}
