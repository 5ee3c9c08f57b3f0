package io.kwsync.ingest.job;

import java.util.function.BooleanSupplier;

/**
 * What a kind of job does with a run on the leader (see {@link JobKind}); the job machinery around it (status log,
 * leadership, schedule, reruns, HTTP API) is shared. One run at a time, on the runner thread. Each method publishes
 * every state it reaches on the status log before it returns.
 */
public interface RunHandler extends AutoCloseable {

    /**
     * Executes a queued run to its end and returns its final status (SUCCEEDED, or FAILED with a retry time when the
     * rerun policy applies), or to LOADING when another service concludes it.
     *
     * @param current false once this replica must stop (leadership moved, the service stops): the run then throws
     *                {@link Superseded} and the next leader settles it
     */
    RunStatus execute(RunStatus queued, BooleanSupplier current);

    /** Picks up a run a previous leader left LOADING; a kind without that state never gets one. */
    RunStatus resume(RunStatus loading, BooleanSupplier current);

    /**
     * A run that was RUNNING or WAITING when its leader went away (killed, cut off): decides and publishes what it
     * is now, before this leader starts anything else.
     */
    void settle(RunStatus interrupted);

    @Override
    void close();
}
