package io.kwsync.sink.maxcompute;

import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.RecordPack;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.job.JobItem;
import io.kwsync.sink.job.JobStaging;
import io.kwsync.sink.job.RunFailedException;
import io.kwsync.sink.job.RunState;
import io.kwsync.sink.maxcompute.MaxComputeRunStore.MaxComputeRun;
import io.kwsync.sink.maxcompute.StoredRun.Session;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Window-job staging in MaxCompute through tunnel upload sessions opened with {@code overwrite=true}: one session per
 * destination partition of a run, a block per partition for each poll's rows as they arrive, and, when the run commits,
 * the sessions committed one after another (committing an overwrite session replaces the partition's content with the
 * session's blocks). A partition the run replaces but brings no row for gets an overwrite session without blocks,
 * whose commit empties it. Before a run that brings no row empties partitions, their rows are counted
 * ({@link #rowsHeld}).
 *
 * <p>Sessions and their block ids are recorded with the run ({@link StoredRun}). After a crash, items above a rows
 * partition's recorded offset are written again as the block id that follows the recorded ones, which replaces a block
 * uploaded before the crash but not recorded (the tunnel keeps the last upload of a block id); a block uploaded but
 * never recorded nor overwritten is emptied before the commit. A session the tunnel reports as committed is not
 * committed again.
 *
 * <p>Every call to the service runs under the deadline of {@link SdkCalls}; a commit whose answer did not come is
 * settled with the tunnel ({@link UploadCommit}) before anything else is done with the run. Partition column names
 * match the table's without regard to case.
 *
 * <p>Not thread-safe: the rows consumer's single writer thread calls it.
 */
final class MaxComputeStaging implements JobStaging<MaxComputeRun> {

    private static final Logger LOG = Logger.getLogger(MaxComputeStaging.class);
    /** Block ids of an upload session go from 0 to 19999. */
    static final int MAX_BLOCKS = 20_000;

    private final String project;
    private final TableCatalog catalog;
    private final TableTunnel tunnel;
    private final CompressOption compression;
    private final SdkCalls calls;
    /** Upload sessions this process uses, by run id, then by session id. */
    private final Map<String, Map<String, TableTunnel.UploadSession>> open = new HashMap<>();

    MaxComputeStaging(String project, TableCatalog catalog, TableTunnel tunnel, CompressOption compression, SdkCalls calls) {
        this.project = project;
        this.catalog = catalog;
        this.tunnel = tunnel;
        this.compression = compression;
        this.calls = calls;
    }

    /** Nothing to create ahead: sessions open with the first rows of their partition. */
    @Override
    public void prepare(String runId, String table, List<JobItem> items) {
    }

    /** Uploads one block per destination partition of the rows; returns the rows the table refused. */
    @Override
    public List<Refusal> stage(MaxComputeRun unit, RunState run, List<JobItem.Row> rows) throws Exception {
        List<Refusal> refused = new ArrayList<>();
        try {
            if (rows.isEmpty()) return refused;
            for (JobItem.Row r : rows) {
                if (!r.row().destination().table().equals(run.table())) throw routed(run);
            }
            TableInfo t = table(run.table());
            Map<String, List<JobItem.Row>> bySpec = new LinkedHashMap<>();
            for (JobItem.Row r : rows) bySpec.computeIfAbsent(specOf(t, r.row().destination().partition()), k -> new ArrayList<>()).add(r);
            for (Map.Entry<String, List<JobItem.Row>> g : bySpec.entrySet()) {
                refused.addAll(writeBlock(unit, t, g.getKey(), g.getValue()));
            }
        } catch (Exception e) {
            throw problem(e, "writing to " + project + "." + run.table() + " failed");
        }
        return refused;
    }

    private List<Refusal> writeBlock(MaxComputeRun unit, TableInfo t, String spec, List<JobItem.Row> rows) throws Exception {
        String table = t.name;
        Session s = session(unit, t, spec, rows.get(0).row().destination().partition());
        List<RowEvent> input = new ArrayList<>(rows.size());
        Map<RowEvent, Integer> rowsPartition = new IdentityHashMap<>();
        for (JobItem.Row r : rows) {
            input.add(r.row());
            rowsPartition.put(r.row(), r.rowsPartition());
        }
        TableTunnel.UploadSession upload = upload(unit, table, s);
        RecordPack pack = upload.newRecordPack(compression);
        TunnelSessions.Written w = TunnelSessions.convert(t, input, upload.newRecord(), pack::append);
        if (!w.rows().isEmpty()) {
            long block = s.blocks.size();
            if (block >= MAX_BLOCKS) {
                throw new RunFailedException("partition " + spec + " of " + table + " needs more than " + MAX_BLOCKS
                        + " blocks (one per batch), the most a tunnel session takes; raise KWSYNC_SINK_BATCH_MAX_ROWS and KWSYNC_SINK_BATCH_MAX_AGE");
            }
            calls.awaitQuiet(s.id);
            calls.run(s.id, "uploading block " + block + " of job session " + s.id, () -> {
                upload.writeBlock(block, pack);
                return null;
            });
            s.blocks.add(block);
            s.rows += w.rows().size();
        }
        List<Refusal> refused = new ArrayList<>(w.rejected().size());
        for (Rejected r : w.rejected()) refused.add(new Refusal(rowsPartition.get(r.row()), r));
        return refused;
    }

    /** The destination table, a run failure when it is missing or the service refuses to describe it. */
    private TableInfo table(String name) throws Exception {
        try {
            return catalog.get(name);
        } catch (NoSuchObjectException e) {
            throw new RunFailedException("table " + project + "." + name + " does not exist");
        } catch (Exception e) {
            if (MaxComputeErrors.retriable(e)) throw e;
            throw new RunFailedException(MaxComputeErrors.describe(e, "table " + project + "." + name));
        }
    }

    /** The partition's overwrite session, opened (and the partition created) on first use. */
    private Session session(MaxComputeRun unit, TableInfo t, String spec, Map<String, String> partition) throws Exception {
        Session s = unit.sessions().get(spec);
        if (s != null) return s;
        Map<String, String> canonical = t.partition(partition);
        if (canonical == null) throw mismatch(t, partition);
        try {
            PartitionSpec ps = canonical.isEmpty() ? null : TableCatalog.spec(canonical);
            if (ps != null) catalog.ensurePartition(t, ps, spec);
            TableTunnel.UploadSession upload = calls.call("opening an overwrite session on " + t.name + "/" + spec,
                    () -> ps == null ? tunnel.createUploadSession(project, t.schemaName, t.tableName, true)
                            : tunnel.createUploadSession(project, t.schemaName, t.tableName, ps, true));
            open.computeIfAbsent(unit.runId(), k -> new HashMap<>()).put(upload.getId(), upload);
            s = new Session();
            s.id = upload.getId();
            s.partition.putAll(canonical);
            unit.sessions().put(spec, s);
            return s;
        } catch (Exception e) {
            if (MaxComputeErrors.retriable(e)) throw e;
            throw new RunFailedException(MaxComputeErrors.describe(e, "cannot open an overwrite session on " + t.name + "/" + spec));
        }
    }

    private TableTunnel.UploadSession upload(MaxComputeRun unit, String table, Session s) throws Exception {
        TableTunnel.UploadSession u = open.getOrDefault(unit.runId(), Map.of()).get(s.id);
        return u != null ? u : reload(unit, table, s);
    }

    /** The spec text of a partition in the table's spelling; a run failure when the names are not the table's. */
    private String specOf(TableInfo t, Map<String, String> partition) throws RunFailedException {
        Map<String, String> canonical = t.partition(partition);
        if (canonical == null) throw mismatch(t, partition);
        return MaxComputeRowSink.specText(canonical);
    }

    private RunFailedException mismatch(TableInfo t, Map<String, String> partition) {
        return new RunFailedException("table " + project + "." + t.name + " is partitioned by " + t.partitionColumns
                + " but the run writes the partition " + (partition.isEmpty() ? "{} (none)" : partition)
                + "; set ingest-service's KWSYNC_JOB_DESTINATION_PARTITION to the table's partition columns");
    }

    /** The session as the tunnel knows it now (status, uploaded blocks). */
    private TableTunnel.UploadSession reload(MaxComputeRun unit, String table, Session s) throws Exception {
        QualifiedTable q = QualifiedTable.parse(table, project);
        TableTunnel.UploadSession u = calls.call(s.id, "reloading job session " + s.id, () -> s.partition.isEmpty()
                ? tunnel.getUploadSession(project, q.schema(), q.name(), s.id)
                : tunnel.getUploadSession(project, q.schema(), q.name(), TableCatalog.spec(s.partition), s.id));
        open.computeIfAbsent(unit.runId(), k -> new HashMap<>()).put(s.id, u);
        return u;
    }

    /**
     * Counts the rows of each replaced partition (of the whole table when unpartitioned) with a download session, which
     * reports its record count on creation and reads nothing; a partition that does not exist is not created and
     * holds none.
     */
    @Override
    public Map<String, Long> rowsHeld(MaxComputeRun unit, RunState run) throws Exception {
        Map<String, Long> held = new LinkedHashMap<>();
        if (run.routed()) throw routed(run);
        try {
            TableInfo t = table(run.table());
            for (Map<String, String> p : run.replaces()) {
                String spec = specOf(t, p);
                long n = rowsIn(t, t.partition(p), spec);
                if (n > 0) held.put(spec, n);
            }
        } catch (Exception e) {
            throw problem(e, "counting the rows of " + project + "." + run.table() + " failed");
        }
        return held;
    }

    private long rowsIn(TableInfo t, Map<String, String> canonical, String spec) throws Exception {
        PartitionSpec ps = canonical.isEmpty() ? null : TableCatalog.spec(canonical);
        String what = "counting the rows of " + t.name + (ps == null ? "" : "/" + spec);
        if (ps != null && !t.knownPartitions.contains(spec) && !calls.call(what, () -> t.table.hasPartition(ps))) return 0;
        try {
            return calls.call(what, () -> (ps == null ? tunnel.createDownloadSession(project, t.schemaName, t.tableName, false)
                    : tunnel.createDownloadSession(project, t.schemaName, t.tableName, ps, false)).getRecordCount());
        } catch (Exception e) {
            if (MaxComputeErrors.isMissingPartition(e)) return 0; // dropped since it was known
            throw e;
        }
    }

    /** Checks that rows went only to replaced partitions and opens sessions for replaced partitions without rows. */
    @Override
    public void beforeCommit(MaxComputeRun unit, RunState run) throws Exception {
        if (run.routed()) throw routed(run);
        try {
            TableInfo t = table(run.table());
            List<String> replaced = new ArrayList<>();
            for (Map<String, String> p : run.replaces()) replaced.add(specOf(t, p));
            for (String spec : unit.sessions().keySet()) {
                if (!replaced.contains(spec)) {
                    throw new RunFailedException("rows of the run belong to partition " + spec + " of " + run.table()
                            + ", which is not among the partitions it replaces " + replaced);
                }
            }
            for (Map<String, String> p : run.replaces()) session(unit, t, specOf(t, p), p);
        } catch (Exception e) {
            throw problem(e, "writing to " + project + "." + run.table() + " failed");
        }
    }

    /**
     * Commits the run's sessions one after another, recording each. Sessions recorded as committed, or that the tunnel
     * reports committed (a reply lost in a crash), are not committed again.
     */
    @Override
    public Map<String, Long> commit(MaxComputeRun unit, RunState run) throws Exception {
        Map<String, Long> written = new LinkedHashMap<>();
        for (Map.Entry<String, Session> e : unit.sessions().entrySet()) {
            Session s = e.getValue();
            written.put(e.getKey(), s.rows);
            if (s.committed) continue;
            try {
                commit(unit, run.table(), s);
            } catch (Exception ex) {
                open.getOrDefault(unit.runId(), new HashMap<>()).remove(s.id);
                if (!(ex instanceof SessionLost) && MaxComputeErrors.retriable(ex) && !MaxComputeErrors.isExpiredSession(ex)) throw ex;
                List<String> done = unit.sessions().entrySet().stream().filter(x -> x.getValue().committed).map(Map.Entry::getKey).toList();
                throw new RunFailedException(reason(ex, "committing partition " + e.getKey() + " of " + run.table() + " failed")
                        + (done.isEmpty() ? "" : "; partitions " + done + " were already replaced by this run"), ex);
            }
            s.committed = true;
            unit.record();
        }
        return written;
    }

    /**
     * Commits one overwrite session. A block on the tunnel that the recorded state does not list (uploaded just before a
     * crash and never overwritten) is first emptied, since a commit takes every uploaded block. A session committed
     * before a restart, or whose commit answer was lost, is recognised by its status ({@link UploadCommit}).
     */
    private void commit(MaxComputeRun unit, String table, Session s) throws Exception {
        calls.awaitQuiet(s.id);
        TableTunnel.UploadSession u = reload(unit, table, s);
        TableTunnel.UploadStatus status = calls.call(s.id, "status of job session " + s.id, u::getStatus);
        if (status == TableTunnel.UploadStatus.CLOSED) {
            LOG.infof("session %s of %s was committed before a restart; not committed again", s.id, table);
            return;
        }
        TreeSet<Long> blocks = new TreeSet<>(s.blocks);
        if (status == TableTunnel.UploadStatus.NORMAL) {
            for (Long extra : calls.call(s.id, "listing the blocks of job session " + s.id, u::getBlockList)) {
                if (blocks.add(extra)) {
                    LOG.infof("emptying block %d of session %s, uploaded before a restart but not recorded", extra, s.id);
                    calls.run(s.id, "emptying block " + extra + " of job session " + s.id, () -> {
                        u.writeBlock(extra, u.newRecordPack(compression));
                        return null;
                    });
                }
            }
        }
        // ids 0..n-1 with every id in between: an id a block was never uploaded under gets an empty one
        long n = blocks.isEmpty() ? 0 : blocks.last() + 1;
        for (long b = 0; b < n; b++) {
            if (blocks.contains(b)) continue;
            long id = b;
            calls.run(s.id, "emptying block " + id + " of job session " + s.id, () -> {
                u.writeBlock(id, u.newRecordPack(compression));
                return null;
            });
        }
        // a session still "normal" is committed now; one "committing" (asked before a restart) is waited for
        UploadCommit.settle(calls, u, (int) n, status != TableTunnel.UploadStatus.NORMAL, "committing job session " + s.id + " of " + table);
        LOG.debugf("committed overwrite session %s of %s with blocks %s", s.id, table, Arrays.toString(blocks.toArray()));
    }

    @Override
    public void discard(String runId, Collection<String> tables) {
        open.remove(runId);
    }

    /**
     * A run whose rows are routed to several tables: overwrite sessions of several tables cannot be replaced together,
     * so such a run is refused before any session is committed (nothing changes in MaxCompute).
     */
    private static RunFailedException routed(RunState run) {
        return new RunFailedException("the run's rows are routed to tables of their own (" + run.tables()
                + "), which window jobs load into SQL databases only: with KWSYNC_SINK_TYPE=maxcompute a window job loads"
                + " one table, so set KWSYNC_DESTINATION_TABLE to one table name (one job connector per table)");
    }

    /**
     * What a failure while staging means: the caller retries what can succeed later (and this process forgets its
     * sessions, reloaded from the tunnel on the next attempt); anything else fails the run.
     */
    private Exception problem(Exception e, String what) {
        if (e instanceof RunFailedException) return e;
        if (!(e instanceof SessionLost) && MaxComputeErrors.retriable(e) && !MaxComputeErrors.isExpiredSession(e)) {
            open.clear();
            return e;
        }
        return new RunFailedException(reason(e, what), e);
    }

    /** The tunnel no longer knows a session of the run (they live 24 hours): only a rerun can load the window. */
    private static String reason(Exception e, String what) {
        if (e instanceof SessionLost) return what + ": " + e.getMessage() + "; rerun the window";
        return MaxComputeErrors.isExpiredSession(e)
                ? what + ": an upload session of the run expired (the tunnel keeps them 24 hours); rerun the window"
                : MaxComputeErrors.describe(e, what);
    }
}
