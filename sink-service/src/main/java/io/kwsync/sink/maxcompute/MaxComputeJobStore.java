package io.kwsync.sink.maxcompute;

import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.RecordPack;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import com.aliyun.odps.tunnel.io.CompressOption;
import io.kwsync.model.Destination;
import io.kwsync.model.RowEvent;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.JobStatusTopic;
import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.job.JobItem;
import io.kwsync.sink.job.JobLoadStore;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Window-job loads into MaxCompute through tunnel upload sessions opened with {@code overwrite=true}: one session per
 * destination partition of a run, a block per partition for each poll's rows as they arrive, and, when the last END
 * marker has arrived with every count matching, the sessions committed one after another (committing an overwrite
 * session replaces the partition's content with the session's blocks). A partition the run replaces but brings no
 * row for gets an overwrite session without blocks, whose commit empties it.
 *
 * <p>Durability. Each run's state ({@link RunState}: per rows partition the next offset to accept and the counts, per
 * destination partition the session id and the block ids written, whether the commit phase began, the decision) is
 * recorded in the compacted progress topic under {@code job/<run id>} before {@link #apply} returns, so before the
 * rows consumer acknowledges the items. After a crash the rows topic is read again from the last acknowledged offset:
 * items below a rows partition's recorded next offset are skipped; items above it are written again as the block id
 * that follows the recorded ones, which replaces a block uploaded before the crash but not recorded (the tunnel keeps
 * the last upload of a block id). A block uploaded but never recorded nor overwritten is overwritten with an empty
 * block before the commit. Once the commit phase is recorded, a restart finishes it: a session the tunnel reports as
 * committed is not committed again.
 *
 * <p>Not thread-safe: the rows consumer's single writer thread calls it. One sink replica per job connector: replicas
 * reading different rows partitions of one run would each open their own sessions (see README).
 */
public final class MaxComputeJobStore implements JobLoadStore {

    private static final Logger LOG = Logger.getLogger(MaxComputeJobStore.class);
    /** Block ids of an upload session go from 0 to 19999. */
    static final int MAX_BLOCKS = 20_000;

    private final String project;
    private final String fixedTable;
    private final TableCatalog catalog;
    private final TableTunnel tunnel;
    private final CompressOption compression;
    private final CommitLog log;
    private final Clock clock;
    /** Upload sessions used by this process, by id. */
    private final Map<String, TableTunnel.UploadSession> sessions = new HashMap<>();

    MaxComputeJobStore(String project, String fixedTable, TableCatalog catalog, TableTunnel tunnel, CompressOption compression,
                       CommitLog log, Clock clock) {
        this.project = project;
        this.fixedTable = fixedTable;
        this.catalog = catalog;
        this.tunnel = tunnel;
        this.compression = compression;
        this.log = log;
        this.clock = clock;
    }

    /** What is recorded about one run; public fields for JSON. */
    @RegisterForReflection
    static final class RunState {
        public String table;
        /** Partition specs the run replaces, from its first END marker; null before. */
        public List<Map<String, String>> replaces;
        public int rowsPartitions;
        public Map<Integer, Part> parts = new TreeMap<>();
        /** Destination partition spec text -> its overwrite session. */
        public Map<String, Session> sessions = new LinkedHashMap<>();
        /** Every check passed and the sessions are being committed; a restart finishes the commits. */
        public boolean committing;
        public LoadResult result;
    }

    /** Per rows partition of a run. */
    @RegisterForReflection
    static final class Part {
        public long nextOffset;
        public long staged;
        public long rejected;
        public Long markerRows;
    }

    /** The overwrite session of one destination partition. */
    @RegisterForReflection
    static final class Session {
        public String id;
        public Map<String, String> partition = new LinkedHashMap<>();
        public List<Long> blocks = new ArrayList<>();
        public long rows;
        public boolean committed;
    }

    /** A problem with one run (its data or destination): the run fails, the sink goes on. */
    private static final class RunFailure extends Exception {
        RunFailure(String message) {
            super(message);
        }
    }

    @Override
    public List<LoadResult> apply(List<JobItem> items, RowSink.RejectHandler rejects) throws SinkException {
        List<LoadResult> results = new ArrayList<>();
        try {
            log.catchUp();
            for (Map.Entry<String, List<JobItem>> run : JobItem.byRun(items).entrySet()) {
                LoadResult r = applyRun(run.getKey(), run.getValue(), rejects);
                if (r != null) results.add(r);
            }
        } catch (SinkException e) {
            throw e;
        } catch (Exception e) {
            sessions.clear();
            throw new SinkException(MaxComputeErrors.describe(e, "job load into MaxCompute project " + project + " failed"), true, e);
        }
        return results;
    }

    /** The run's state as recorded (a fresh copy: changes count only once {@link #record}ed). */
    RunState recorded(String runId) {
        byte[] recorded = log.job(runId);
        return recorded == null ? new RunState() : JobStatusTopic.fromJson(recorded, RunState.class);
    }

    private void record(String runId, RunState run) {
        log.recordJob(runId, JobStatusTopic.toJson(run));
    }

    /** The run's decision when these items decide it (or repeat it after a redelivery), null otherwise. */
    private LoadResult applyRun(String runId, List<JobItem> items, RowSink.RejectHandler rejects) throws Exception {
        RunState run = recorded(runId);
        if (run.result != null) return repeatDecision(run, items);
        try {
            if (run.committing) return finish(runId, run);
            Map<String, List<JobItem.Row>> rows = new LinkedHashMap<>();
            boolean endSeen = false;
            for (JobItem item : items) {
                Part p = run.parts.computeIfAbsent(item.rowsPartition(), k -> new Part());
                if (item.rowsOffset() < p.nextOffset) continue; // delivered again after a restart
                p.nextOffset = item.rowsOffset() + 1;
                if (item instanceof JobItem.Row r) {
                    if (run.table == null) run.table = tableOf(r.row().destination().table());
                    rows.computeIfAbsent(MaxComputeRowSink.specText(r.row().destination().partition()), k -> new ArrayList<>()).add(r);
                    continue;
                }
                JobMarker m = ((JobItem.Marker) item).marker();
                if (m.kind() == JobMarker.Kind.ABORT) {
                    return decide(runId, run, LoadResult.State.ABORTED, Map.of(), 0, "aborted by ingest-service");
                }
                p.markerRows = m.rows();
                endSeen = true;
                if (run.replaces == null) {
                    run.replaces = new ArrayList<>();
                    for (Destination d : m.replaces()) run.replaces.add(d.partition());
                    run.rowsPartitions = m.rowsPartitions();
                    run.table = tableOf(m.table());
                }
            }
            List<Rejected> refused = new ArrayList<>();
            for (Map.Entry<String, List<JobItem.Row>> g : rows.entrySet()) {
                refused.addAll(writeBlock(run, g.getKey(), g.getValue()));
            }
            if (!refused.isEmpty()) rejects.reject(refused);
            if (endSeen && complete(run)) {
                prepareCommit(run);
                run.committing = true;
                record(runId, run);
                return finish(runId, run);
            }
            record(runId, run);
            return null;
        } catch (RunFailure e) {
            return fail(runId, run, e.getMessage());
        } catch (Exception e) {
            if (MaxComputeErrors.retriable(e) && !expired(e)) throw e;
            return fail(runId, run, reason(e, "writing to " + project + "." + run.table + " failed"));
        }
    }

    /** The tunnel no longer knows a session of the run (they live 24 hours): only a rerun can load the window. */
    private static boolean expired(Exception e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof TunnelException te && "NoSuchUpload".equals(te.getErrorCode())) return true;
            if (String.valueOf(t.getMessage()).contains("ErrorCode=NoSuchUpload")) return true;
        }
        return false;
    }

    private static String reason(Exception e, String what) {
        return expired(e) ? what + ": an upload session of the run expired (the tunnel keeps them 24 hours); rerun the window"
                : MaxComputeErrors.describe(e, what);
    }

    private LoadResult fail(String runId, RunState run, String reason) {
        LOG.warnf("job run %s failed in MaxCompute: %s", runId, reason);
        return decide(runId, run, LoadResult.State.FAILED, Map.of(), 0, reason);
    }

    private String tableOf(String rowTable) {
        return fixedTable != null ? fixedTable : rowTable;
    }

    /** Decided runs: rows are dropped; an END marker (a redelivery) repeats the decision so it is published again. */
    private static LoadResult repeatDecision(RunState run, List<JobItem> items) {
        return JobItem.hasEnd(items) ? run.result : null;
    }

    /** Uploads one block of a partition's new rows into the partition's session; returns the rows the table refused. */
    private List<Rejected> writeBlock(RunState run, String spec, List<JobItem.Row> items) throws Exception {
        TableInfo t = table(run.table);
        Map<String, String> partition = items.get(0).row().destination().partition();
        Session s = session(run, t, spec, partition);
        List<RowEvent> input = new ArrayList<>(items.size());
        Map<RowEvent, Integer> rowsPartition = new IdentityHashMap<>();
        for (JobItem.Row r : items) {
            input.add(r.row());
            rowsPartition.put(r.row(), r.rowsPartition());
        }
        TableTunnel.UploadSession upload = upload(run.table, s);
        RecordPack pack = upload.newRecordPack(compression);
        TunnelSessions.Written w = TunnelSessions.convert(t, input, upload.newRecord(), pack::append);
        if (!w.rows().isEmpty()) {
            long block = s.blocks.size();
            if (block >= MAX_BLOCKS) {
                throw new RunFailure("partition " + spec + " of " + run.table + " needs more than " + MAX_BLOCKS
                        + " blocks (one per batch), the most a tunnel session takes; raise KWSYNC_SINK_BATCH_MAX_ROWS and KWSYNC_SINK_BATCH_MAX_AGE");
            }
            upload.writeBlock(block, pack);
            s.blocks.add(block);
            s.rows += w.rows().size();
        }
        for (RowEvent r : w.rows()) run.parts.get(rowsPartition.get(r)).staged++;
        for (Rejected r : w.rejected()) run.parts.get(rowsPartition.get(r.row())).rejected++;
        return w.rejected();
    }

    /** The destination table, a run failure when it is missing or the service refuses to describe it. */
    private TableInfo table(String name) throws Exception {
        try {
            return catalog.get(name);
        } catch (NoSuchObjectException e) {
            throw new RunFailure("table " + project + "." + name + " does not exist");
        } catch (Exception e) {
            if (MaxComputeErrors.retriable(e)) throw e;
            throw new RunFailure(MaxComputeErrors.describe(e, "table " + project + "." + name));
        }
    }

    /** The partition's overwrite session, opened (and the partition created) on first use. */
    private Session session(RunState run, TableInfo t, String spec, Map<String, String> partition) throws Exception {
        Session s = run.sessions.get(spec);
        if (s != null) return s;
        if (!t.partitionColumns.equals(new ArrayList<>(partition.keySet()))) {
            throw new RunFailure("table " + project + "." + t.name + " is partitioned by " + t.partitionColumns
                    + " but the run writes the partition " + (partition.isEmpty() ? "{} (none)" : partition)
                    + "; set ingest-service's KWSYNC_JOB_DESTINATION_PARTITION to the table's partition columns");
        }
        try {
            PartitionSpec ps = partition.isEmpty() ? null : TableCatalog.spec(partition);
            if (ps != null) catalog.ensurePartition(t, ps, spec);
            TableTunnel.UploadSession upload = ps == null ? tunnel.createUploadSession(project, t.name, true)
                    : tunnel.createUploadSession(project, t.name, ps, true);
            sessions.put(upload.getId(), upload);
            s = new Session();
            s.id = upload.getId();
            s.partition.putAll(partition);
            run.sessions.put(spec, s);
            return s;
        } catch (Exception e) {
            if (MaxComputeErrors.retriable(e)) throw e;
            throw new RunFailure(MaxComputeErrors.describe(e, "cannot open an overwrite session on " + t.name + "/" + spec));
        }
    }

    private TableTunnel.UploadSession upload(String table, Session s) throws TunnelException, IOException {
        TableTunnel.UploadSession u = sessions.get(s.id);
        return u != null ? u : reload(table, s);
    }

    /** The session as the tunnel knows it now (status, uploaded blocks). */
    private TableTunnel.UploadSession reload(String table, Session s) throws TunnelException, IOException {
        TableTunnel.UploadSession u = s.partition.isEmpty() ? tunnel.getUploadSession(project, table, s.id)
                : tunnel.getUploadSession(project, table, TableCatalog.spec(s.partition), s.id);
        sessions.put(s.id, u);
        return u;
    }

    /** True when every END marker arrived; a count that does not match fails the run. */
    private static boolean complete(RunState run) throws RunFailure {
        if (run.rowsPartitions == 0) return false;
        long markers = run.parts.values().stream().filter(p -> p.markerRows != null).count();
        if (markers < run.rowsPartitions) return false;
        for (Map.Entry<Integer, Part> e : run.parts.entrySet()) {
            Part p = e.getValue();
            if (p.markerRows != null && p.staged + p.rejected != p.markerRows) {
                throw new RunFailure("rows partition " + e.getKey() + " announced " + p.markerRows + " rows but "
                        + (p.staged + p.rejected) + " arrived");
            }
        }
        return true;
    }

    /** Checks that rows went only to replaced partitions and opens sessions for replaced partitions without rows. */
    private void prepareCommit(RunState run) throws Exception {
        List<String> replaced = new ArrayList<>();
        for (Map<String, String> p : run.replaces) replaced.add(MaxComputeRowSink.specText(p));
        for (String spec : run.sessions.keySet()) {
            if (!replaced.contains(spec)) {
                throw new RunFailure("rows of the run belong to partition " + spec + " of " + run.table
                        + ", which is not among the partitions it replaces " + replaced);
            }
        }
        TableInfo t = table(run.table);
        for (Map<String, String> p : run.replaces) session(run, t, MaxComputeRowSink.specText(p), p);
    }

    /**
     * Commits the run's sessions one after another, recording each, and decides the run. Sessions recorded as committed,
     * or that the tunnel reports committed (a reply lost in a crash), are not committed again.
     */
    private LoadResult finish(String runId, RunState run) throws Exception {
        Map<String, Long> written = new LinkedHashMap<>();
        for (Map.Entry<String, Session> e : run.sessions.entrySet()) {
            Session s = e.getValue();
            written.put(e.getKey(), s.rows);
            if (s.committed) continue;
            try {
                commit(run.table, s);
            } catch (Exception ex) {
                sessions.remove(s.id);
                if (MaxComputeErrors.retriable(ex) && !expired(ex)) throw ex;
                List<String> done = run.sessions.entrySet().stream().filter(x -> x.getValue().committed).map(Map.Entry::getKey).toList();
                return decide(runId, run, LoadResult.State.FAILED, Map.of(), 0, reason(ex,
                        "committing partition " + e.getKey() + " of " + run.table + " failed") + (done.isEmpty() ? ""
                        : "; partitions " + done + " were already replaced by this run"));
            }
            s.committed = true;
            record(runId, run);
        }
        long rejected = run.parts.values().stream().mapToLong(p -> p.rejected).sum();
        return decide(runId, run, LoadResult.State.COMMITTED, written, rejected, null);
    }

    /**
     * Commits one overwrite session. A block on the tunnel that the recorded state does not list (uploaded just before a
     * crash and never overwritten) is first emptied, since a commit takes every uploaded block.
     */
    private void commit(String table, Session s) throws Exception {
        TableTunnel.UploadSession u = reload(table, s);
        if (u.getStatus() == TableTunnel.UploadStatus.CLOSED) {
            LOG.infof("session %s of %s was committed before a restart; not committed again", s.id, table);
            return;
        }
        TreeSet<Long> blocks = new TreeSet<>(s.blocks);
        for (Long extra : u.getBlockList()) {
            if (blocks.add(extra)) {
                LOG.infof("emptying block %d of session %s, uploaded before a restart but not recorded", extra, s.id);
                u.writeBlock(extra, u.newRecordPack(compression));
            }
        }
        u.commit(blocks.toArray(new Long[0]));
        LOG.debugf("committed overwrite session %s of %s with blocks %s", s.id, table, Arrays.toString(blocks.toArray()));
    }

    private LoadResult decide(String runId, RunState run, LoadResult.State state, Map<String, Long> written, long rejected,
                              String reason) {
        LoadResult result = new LoadResult(runId, state, run.table, written, rejected, reason, clock.millis());
        RunState decided = new RunState();
        decided.table = run.table;
        decided.result = result;
        record(runId, decided);
        for (Session s : run.sessions.values()) sessions.remove(s.id);
        return result;
    }

    @Override
    public void close() {
        log.close();
    }
}
