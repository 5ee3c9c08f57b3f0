package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobControl;

import java.time.Clock;
import java.util.Map;

/**
 * One kind of job a deployment can run: a window job (a time window of a topic into a table partition, built here)
 * or the Kafka Writer (rows of a table into a topic, contributed as a CDI bean by its own package). {@link JobService}
 * runs whichever the settings enable with the same status log, leadership, scheduler, reruns and HTTP API.
 */
public interface JobKind {

    /** Whether this deployment runs this kind of job. */
    boolean enabled();

    /** Name, zone, parameters, schedule, reruns, timeout and status topic. */
    JobControl control();

    /**
     * Refuses run values that can never make a valid run, before the run is queued.
     *
     * @param allowEmpty the request lets the run replace what it replaces with nothing
     * @throws io.kwsync.ingest.schedule.ExpressionException with the reason
     */
    void checkRequest(Map<String, String> values, Clock clock, boolean allowEmpty);

    /** The parameters a run request may give (a misspelt one is refused rather than ignored); null for any. */
    default java.util.Set<String> knownParameters() {
        return null;
    }

    /** What GET /api/jobs/NAME shows about the job besides its schedule, reruns and runs. */
    Map<String, Object> describe();

    /** The handler of this job's runs on the leader, given the job's status log. */
    RunHandler handler(RunLog log);
}
