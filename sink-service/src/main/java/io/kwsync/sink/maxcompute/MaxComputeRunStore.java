package io.kwsync.sink.maxcompute;

import io.kwsync.model.job.JobStatusTopic;
import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.job.RunState;
import io.kwsync.sink.job.RunStateStore;

import java.util.Map;

/**
 * Window-job run states in the compacted progress topic ({@link CommitLog}, key {@code job/<run id>}), each with the
 * staging's upload sessions ({@link StoredRun}). A record is sent and acknowledged by the broker before the call that
 * records it returns, so before the rows consumer acknowledges the items. There is no transaction: a unit of work
 * records as it goes, and whatever it did not record is found again from the rows topic and the tunnel after a
 * restart. One sink replica per job connector (replicas reading different rows partitions of one run would each
 * open their own sessions).
 */
final class MaxComputeRunStore implements RunStateStore<MaxComputeRunStore.MaxComputeRun> {

    private final CommitLog log;
    private final String project;
    private final String fixedTable;

    /** @param log closed with the store; @param fixedTable the table every row goes to, or null */
    MaxComputeRunStore(CommitLog log, String project, String fixedTable) {
        this.log = log;
        this.project = project;
        this.fixedTable = fixedTable;
    }

    /** Reads what was recorded up to now (by an earlier process, or a replica that owned a partition before). */
    @Override
    public void refresh() {
        log.catchUp();
    }

    @Override
    public MaxComputeRun begin(String runId, String table) {
        return new MaxComputeRun(runId, recorded(runId));
    }

    /** The run as recorded (a fresh copy: changes count only once recorded). */
    StoredRun recorded(String runId) {
        byte[] recorded = log.job(runId);
        return recorded == null ? new StoredRun() : JobStatusTopic.fromJson(recorded, StoredRun.class);
    }

    @Override
    public SinkException failure(Exception e) {
        return new SinkException(MaxComputeErrors.describe(e, "job load into MaxCompute project " + project + " failed"), true, e);
    }

    @Override
    public void close() {
        log.close();
    }

    /** One run opened for one poll: its recorded state and upload sessions, recorded again as they change. */
    final class MaxComputeRun implements RunStateStore.Run {
        private final String runId;
        private final RunState recorded;
        private final Map<String, StoredRun.Session> sessions;
        private RunState current;

        private MaxComputeRun(String runId, StoredRun stored) {
            this.runId = runId;
            this.recorded = stored.state(fixedTable);
            this.current = recorded;
            this.sessions = stored.sessions;
        }

        String runId() {
            return runId;
        }

        /** Destination partition spec text -> its overwrite session; the staging adds to it. */
        Map<String, StoredRun.Session> sessions() {
            return sessions;
        }

        @Override
        public RunState state() {
            return recorded;
        }

        @Override
        public void save(RunState run) {
            current = run;
            record();
        }

        /** Records the state last saved with the sessions as they are now (a block written, a session committed). */
        void record() {
            log.recordJob(runId, JobStatusTopic.toJson(StoredRun.of(current, sessions)));
        }

        @Override
        public void decide(RunState run, LoadResult result) {
            log.recordJob(runId, JobStatusTopic.toJson(StoredRun.decided(run.table(), result)));
        }

        @Override
        public void commit() {
            // every change was recorded when it was made
        }

        @Override
        public void close() {
        }
    }
}
