package io.kwsync.ingest.job;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * One run of the job as ingest-service publishes it under {@code run/<id>} on the status topic and serves it on
 * {@code /api/jobs/NAME/runs/<id>}. Immutable; {@link #revision} grows with every published change so that a reader
 * never goes back to an older state. Times are epoch milliseconds.
 *
 * @param scheduledTime the slot the run's parameters were evaluated for, local time of the job's zone (ISO)
 * @param windowKey     what a rerun of "the same window" means: the partitions it replaces
 * @param partitions    per source partition: first offset, end offset (exclusive; null while unknown) and the next
 *                      offset to read
 * @param written       after a successful load: rows now in each replaced partition (Kafka Writer: records written to
 *                      the topic)
 * @param alreadyWrittenBy Kafka Writer: the run that had already written this run's window, so this one wrote nothing
 * @param allowEmpty    true when the run was requested with "allowEmpty": it may replace its partitions with nothing
 *                      (null otherwise); carried to the sink in the END markers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunStatus(String id, long revision, State state, Trigger trigger, String scheduledTime,
                        Map<String, String> parameters, int attempt, String retryOf, String retriedBy, Long retryAt,
                        Boolean retriable, Boolean allowEmpty, String owner, long createdAt, Long startedAt, Long finishedAt, Window window,
                        String windowKey, List<String> replaces, List<PartitionProgress> partitions, Counts counts,
                        Integer rowsPartitions, Map<String, Long> written, Long rejected, String error,
                        String alreadyWrittenBy) {

    public enum State {
        QUEUED, WAITING, RUNNING, LOADING, SUCCEEDED, FAILED;

        public boolean finished() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    public enum Trigger {
        SCHEDULE, API, RERUN, RETRY
    }

    /** The window as resolved: begin/end as configured after parameter substitution, and as instants for time windows. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Window(String begin, String end, String beginInstant, String endInstant, String zone) {
    }

    public record PartitionProgress(int partition, long start, Long end, long position) {
    }

    /**
     * @param read    source records read inside the window's offsets
     * @param rows    rows published to the rows topic
     * @param dirty   records that could not become rows (sent to the error topic)
     * @param skipped records outside the window's times, skipped by skipExceedRecord
     * @param late    records older than the window start (loaded into the late partition, or the run's)
     */
    public record Counts(long read, long rows, long dirty, long skipped, long late) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);
    }

    /** Whether the run may replace its partitions with nothing. */
    public boolean emptyAllowed() {
        return Boolean.TRUE.equals(allowEmpty);
    }

    @com.fasterxml.jackson.annotation.JsonProperty("durationMillis")
    public Long durationMillis() {
        return startedAt == null ? null : (finishedAt == null ? null : finishedAt - startedAt);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A changed copy; {@link #build()} bumps the revision. */
    public static final class Builder {
        public String id;
        public long revision;
        public State state;
        public Trigger trigger;
        public String scheduledTime;
        public Map<String, String> parameters;
        public int attempt;
        public String retryOf;
        public String retriedBy;
        public Long retryAt;
        public Boolean retriable;
        public Boolean allowEmpty;
        public String owner;
        public long createdAt;
        public Long startedAt;
        public Long finishedAt;
        public Window window;
        public String windowKey;
        public List<String> replaces;
        public List<PartitionProgress> partitions;
        public Counts counts;
        public Integer rowsPartitions;
        public Map<String, Long> written;
        public Long rejected;
        public String error;
        public String alreadyWrittenBy;

        public Builder() {
        }

        Builder(RunStatus s) {
            id = s.id;
            revision = s.revision;
            state = s.state;
            trigger = s.trigger;
            scheduledTime = s.scheduledTime;
            parameters = s.parameters;
            attempt = s.attempt;
            retryOf = s.retryOf;
            retriedBy = s.retriedBy;
            retryAt = s.retryAt;
            retriable = s.retriable;
            allowEmpty = s.allowEmpty;
            owner = s.owner;
            createdAt = s.createdAt;
            startedAt = s.startedAt;
            finishedAt = s.finishedAt;
            window = s.window;
            windowKey = s.windowKey;
            replaces = s.replaces;
            partitions = s.partitions;
            counts = s.counts;
            rowsPartitions = s.rowsPartitions;
            written = s.written;
            rejected = s.rejected;
            error = s.error;
            alreadyWrittenBy = s.alreadyWrittenBy;
        }

        public RunStatus build() {
            return new RunStatus(id, revision + 1, state, trigger, scheduledTime, parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters)),
                    attempt, retryOf, retriedBy, retryAt, retriable,
                    Boolean.TRUE.equals(allowEmpty) ? Boolean.TRUE : null, owner, createdAt, startedAt, finishedAt, window, windowKey,
                    replaces == null ? null : List.copyOf(replaces), partitions == null ? null : List.copyOf(partitions),
                    counts == null ? Counts.ZERO : counts, rowsPartitions, written, rejected, error, alreadyWrittenBy);
        }
    }
}
