package io.kwsync.sink.job;

import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.SinkException;

/**
 * Where a destination records each window-job run's {@link RunState} between polls, so that a restart, a
 * redelivery or another replica reading other rows partitions of the same run carries on from it. One of the two
 * parts a destination contributes to window jobs (the other is its {@link JobStaging}); {@link JobRuns} drives both.
 *
 * <p>Lifecycle: {@link #refresh} once per poll, then for each run {@link #begin}, which opens a unit of work
 * ({@link Run}) and returns the run's recorded state, kept from other replicas until the unit ends; the unit records
 * progress ({@link Run#save}) or the decision ({@link Run#decide}) and ends with {@link Run#commit} (or {@link
 * Run#close} without commit, which keeps nothing of what a transactional store did in it). Everything recorded must be
 * durable when {@code commit} returns, since the rows consumer acknowledges the items right after. Not thread-safe:
 * the rows consumer's writer thread calls it.
 *
 * @param <R> the destination's unit of work, which its staging takes part in (a JDBC transaction, a record on a topic)
 */
public interface RunStateStore<R extends RunStateStore.Run> extends AutoCloseable {

    /** Before a poll's runs: creates what the store needs, or reads what other replicas recorded since. */
    void refresh() throws Exception;

    /**
     * Opens a unit of work on a run and reads its recorded state ({@link RunState#fresh} when none).
     *
     * @param table the table the items name, or null: where the store records it before the run has a state
     */
    R begin(String runId, String table) throws Exception;

    /** A failure of this destination that is not a run's problem, as the caller reports and retries it. */
    SinkException failure(Exception e);

    @Override
    void close();

    /** One run opened for one poll. */
    interface Run extends AutoCloseable {

        /** The state as recorded when the unit began. */
        RunState state();

        /** Records the run's progress. */
        void save(RunState run) throws Exception;

        /** Records the run's decision; the run's progress and staging bookkeeping are no longer needed. */
        void decide(RunState run, LoadResult result) throws Exception;

        /** Makes what the unit recorded durable. */
        void commit() throws Exception;

        /** Ends the unit; without {@link #commit}, a transactional store keeps nothing of it. Never throws. */
        @Override
        void close();
    }
}
