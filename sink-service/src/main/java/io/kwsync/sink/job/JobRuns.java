package io.kwsync.sink.job;

import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@link JobLoadStore} of a destination: carries out {@link JobProtocol}'s decisions with the destination's
 * {@link RunStateStore} and {@link JobStaging}. Per run of a poll: the staging prepares, the store opens the run and
 * reads its state, the protocol decides, the new rows are staged and refusals reported, and then the run waits, commits
 * or fails (a run that brings no row first asks the staging whether its partitions hold rows, which it must not empty
 * unless its END marker allows it); the store's unit of work then commits, so everything is durable before the items
 * are acknowledged.
 *
 * <p>A {@link RunFailedException} from the staging fails that run only: the unit is rolled back, the run is decided
 * FAILED in a unit of its own (unless another replica decided it meanwhile), with the partitions the staging says it
 * replaced before failing as the result's {@code written}, and its staging is discarded. Any other
 * failure ends the poll; the caller retries the same items, which the protocol recognises.
 *
 * @param <R> the destination's unit of work, shared by its store and staging
 */
public final class JobRuns<R extends RunStateStore.Run> implements JobLoadStore {

    private static final Logger LOG = Logger.getLogger(JobRuns.class);

    private final RunStateStore<R> store;
    private final JobStaging<R> staging;
    private final Clock clock;

    public JobRuns(RunStateStore<R> store, JobStaging<R> staging, Clock clock) {
        this.store = store;
        this.staging = staging;
        this.clock = clock;
    }

    @Override
    public List<LoadResult> apply(List<JobItem> items, RowSink.RejectHandler rejects) throws SinkException {
        List<LoadResult> results = new ArrayList<>();
        try {
            store.refresh();
            for (Map.Entry<String, List<JobItem>> run : JobItem.byRun(items).entrySet()) {
                LoadResult r = applyRun(run.getKey(), run.getValue(), rejects);
                if (r != null) results.add(r);
            }
        } catch (SinkException e) {
            throw e;
        } catch (Exception e) {
            throw store.failure(e);
        }
        return results;
    }

    /** The run's decision when these items decide it (or repeat it), null otherwise. */
    private LoadResult applyRun(String runId, List<JobItem> items, RowSink.RejectHandler rejects) throws Exception {
        String table = JobItem.tableOf(items);
        RunState learnt = null;
        try {
            staging.prepare(runId, table, items);
            try (R unit = store.begin(runId, table)) {
                JobProtocol.Decision d = JobProtocol.decide(unit.state(), items);
                learnt = d.run();
                LoadResult result = carryOut(runId, unit, d, rejects);
                unit.commit();
                // a decided run's redelivered rows (IGNORE) may have had their staging created again by prepare
                if (result != null || d.step() == JobProtocol.Step.IGNORE) {
                    Set<String> staged = new TreeSet<>(JobItem.tablesOf(items));
                    staged.addAll(d.run().tables());
                    staging.discard(runId, staged);
                }
                return result;
            }
        } catch (RunFailedException e) {
            LOG.warnf("job run %s failed in the destination: %s", runId, e.getMessage());
            Set<String> staged = new TreeSet<>(JobItem.tablesOf(items));
            if (learnt != null) staged.addAll(learnt.tables());
            LoadResult failed = fail(runId, table, learnt, e, staged);
            staging.discard(runId, staged);
            return failed;
        }
    }

    private LoadResult carryOut(String runId, R unit, JobProtocol.Decision d, RowSink.RejectHandler rejects)
            throws Exception {
        switch (d.step()) {
            case REPEAT:
                return d.run().decision();
            case IGNORE:
                return null;
            case ABORT:
                return decide(runId, unit, d.run(), LoadResult.State.ABORTED, Map.of(), "aborted by ingest-service");
            case FINISH:
                return commit(runId, unit, d.run());
            default:
                break;
        }
        RunState run = d.run();
        List<JobStaging.Refusal> refused = staging.stage(unit, run, d.rows());
        if (!refused.isEmpty()) {
            rejects.reject(refused.stream().map(JobStaging.Refusal::rejected).toList());
            run = JobProtocol.refused(run, refused.stream().map(JobStaging.Refusal::rowsPartition).toList());
        }
        if (d.step() == JobProtocol.Step.GUARD) d = JobProtocol.guard(run, staging.rowsHeld(unit, run));
        if (d.step() == JobProtocol.Step.FAIL) throw new RunFailedException(d.failure());
        if (d.step() == JobProtocol.Step.WAIT) {
            unit.save(run);
            return null;
        }
        staging.beforeCommit(unit, run);
        RunState committing = run.beginCommit();
        unit.save(committing);
        return commit(runId, unit, committing);
    }

    private LoadResult commit(String runId, R unit, RunState run) throws Exception {
        Map<String, Long> written = staging.commit(unit, run);
        return decide(runId, unit, run, LoadResult.State.COMMITTED, written, null);
    }

    private LoadResult decide(String runId, R unit, RunState run, LoadResult.State state, Map<String, Long> written,
                              String reason) throws Exception {
        long rejected = state == LoadResult.State.COMMITTED ? run.rejected() : 0;
        LoadResult result = new LoadResult(runId, state, run.table(), written, rejected, reason, clock.millis());
        unit.decide(run, result);
        return result;
    }

    /**
     * Decides the run FAILED in a unit of its own, after the failed one left nothing behind; returns the decision
     * another replica recorded meanwhile instead, if any.
     */
    private LoadResult fail(String runId, String table, RunState learnt, RunFailedException failure, Set<String> staged)
            throws Exception {
        try (R unit = store.begin(runId, table)) {
            RunState run = unit.state();
            staged.addAll(run.tables());
            LoadResult result = run.decision();
            if (result == null) {
                if (learnt != null && (run.table() == null || learnt.routed())) run = run.withTable(learnt.table());
                // written: what a destination without a transaction over the run replaced before failing (usually nothing)
                result = decide(runId, unit, run, LoadResult.State.FAILED, failure.replaced(), failure.getMessage());
            }
            unit.commit();
            return result;
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
