package io.kwsync.sink.job;

import io.kwsync.sink.Rejected;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * How a destination holds a window-job run's rows until the run commits, and how it then makes them visible all at
 * once, replacing the partitions the run names. One of the two parts a destination contributes to window jobs (the
 * other is its {@link RunStateStore}, whose unit of work {@code R} the staging takes part in); {@link JobRuns} calls
 * it as {@link JobProtocol} decides.
 *
 * <p>Errors: a problem of the run's own (missing table or column, a partition the table does not have, rows that
 * belong to a partition the run does not replace) is a {@link RunFailedException}; anything else is thrown as it is
 * and retried with the same items. Staging the same rows again after such a failure must be harmless.
 *
 * @param <R> the unit of work of the destination's run-state store
 */
public interface JobStaging<R extends RunStateStore.Run> {

    /** A row the destination refused while staging, with the rows partition it came from. */
    record Refusal(int rowsPartition, Rejected rejected) {
    }

    /**
     * Before the run's unit of work begins: creates what staging these items needs and cannot create inside a unit
     * (a table, where DDL would end a transaction).
     *
     * @param table the table the items name, or null
     */
    void prepare(String runId, String table, List<JobItem> items) throws Exception;

    /** Stages rows not staged before (possibly none); returns those the destination refused, each with its reason. */
    List<Refusal> stage(R unit, RunState run, List<JobItem.Row> rows) throws Exception;

    /**
     * How many rows the partitions the run replaces hold now (the whole table for an unpartitioned run), asked only
     * when a run that brings no row would replace them ({@link JobProtocol.Step#GUARD}). Cheap for partitions without
     * rows; a partition that does not exist holds none. Runs inside the unit of work, before anything is replaced.
     *
     * @return destination partition spec ({@code ds=20221122}, empty for an unpartitioned table) -> rows it holds, for
     *         the partitions that hold rows (the others may be left out)
     */
    Map<String, Long> rowsHeld(R unit, RunState run) throws Exception;

    /**
     * Every count matched: checks what can be checked before anything becomes visible and prepares the commit. Runs
     * before the commit is recorded as begun, and must be safe to repeat.
     */
    default void beforeCommit(R unit, RunState run) throws Exception {
    }

    /**
     * Makes the staged rows visible, replacing each partition the run names (an empty partition when the run brings
     * no row for it). May be called again for a run whose commit began before a restart; must then finish what is left.
     *
     * @return destination partition spec ({@code ds=20221122}, empty for an unpartitioned table) -> rows it now holds
     */
    Map<String, Long> commit(R unit, RunState run) throws Exception;

    /**
     * The run is decided: throws away what is staged or held for it. Best effort.
     *
     * @param tables every table the run's rows named (where a destination stages per table)
     */
    void discard(String runId, Collection<String> tables);
}
