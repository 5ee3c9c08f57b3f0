package io.kwsync.ingest.job;

import io.kwsync.model.job.LoadResult;

import java.util.List;
import java.util.Optional;

/**
 * The runs of a job as every replica sees them (the status topic read into memory), and where a run's executor
 * publishes its states. What a kind of job's {@link RunHandler} may use of the status log.
 */
public interface RunLog {

    /** Publishes a run's status and waits for the broker; the local view has it at once. */
    RunStatus publish(RunStatus s);

    Optional<RunStatus> run(String id);

    /** Newest first. */
    List<RunStatus> runs();

    /** The sink's verdict on a window run, once it has published one. */
    Optional<LoadResult> load(String runId);

    /** Waits until the view changes or the time passes. */
    void awaitChange(long millis) throws InterruptedException;
}
