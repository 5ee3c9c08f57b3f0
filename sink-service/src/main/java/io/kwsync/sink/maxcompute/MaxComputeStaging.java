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

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Window-job staging in MaxCompute through tunnel upload sessions opened with {@code overwrite=true}: one session per
 * destination table and partition of a run, a block per partition for each poll's rows as they arrive, and, when the
 * run commits, the sessions committed one after another (committing an overwrite session replaces the partition's
 * content with the session's blocks). A partition the run replaces but brings no row for gets an overwrite session
 * without blocks, whose commit empties it. Before a run that brings no row empties partitions, their rows are counted
 * ({@link #rowsHeld}).
 *
 * <p>A routed run (its rows name their own tables) replaces its partitions in every table its rows named. MaxCompute
 * has no transaction over several sessions, so the run is made as safe as it can be without one: every table's rows
 * are uploaded first (nothing visible), then before the first commit every table and partition is checked and every
 * session is asked whether it can still be committed ({@link #beforeCommit}); only then are the sessions committed,
 * table by table in name order, each recorded as it commits. A restart in the middle finishes the commits left. A
 * commit refused for good fails the run naming the tables replaced and those not; the failure's
 * {@link RunFailedException#replaced} lists the replaced partitions, and a rerun replaces every table again.
 *
 * <p>Sessions and their block ids are recorded with the run ({@link StoredRun}), keyed {@code table/spec}. After a
 * crash, items above a rows partition's recorded offset are written again as the block id that follows the recorded
 * ones, which replaces a block uploaded before the crash but not recorded (the tunnel keeps the last upload of a block
 * id); a block uploaded but never recorded nor overwritten is emptied before the commit. A session the tunnel reports
 * as committed is not committed again.
 *
 * <p>Every call to the service runs under the deadline of {@link SdkCalls}; a commit whose answer did not come is
 * settled with the tunnel ({@link UploadCommit}) before anything else is done with the run. Partition column names
 * match the table's without regard to case.
 *
 * <p>Not thread-safe: the rows consumer's single writer thread calls it.
 */
final class MaxComputeStaging implements JobStaging<MaxComputeRun> {

    /** Block ids of an upload session go from 0 to 19999. */
    static final int MAX_BLOCKS = 20_000;

    private final String project;
    private final TableCatalog catalog;
    private final TableTunnel tunnel;
    private final CompressOption compression;
    private final SdkCalls calls;
    private final OverwriteSessions sessions;

    MaxComputeStaging(String project, TableCatalog catalog, TableTunnel tunnel, CompressOption compression, SdkCalls calls) {
        this.project = project;
        this.catalog = catalog;
        this.tunnel = tunnel;
        this.compression = compression;
        this.calls = calls;
        this.sessions = new OverwriteSessions(project, catalog, tunnel, compression, calls);
    }

    /** Nothing to create ahead: sessions open with the first rows of their partition. */
    @Override
    public void prepare(String runId, String table, List<JobItem> items) {
    }

    /** Uploads one block per destination table and partition of the rows; returns the rows the tables refused. */
    @Override
    public List<Refusal> stage(MaxComputeRun unit, RunState run, List<JobItem.Row> rows) throws Exception {
        List<Refusal> refused = new ArrayList<>();
        Map<String, List<JobItem.Row>> byTable = new LinkedHashMap<>();
        for (JobItem.Row r : rows) byTable.computeIfAbsent(r.row().destination().table(), k -> new ArrayList<>()).add(r);
        for (Map.Entry<String, List<JobItem.Row>> tr : byTable.entrySet()) {
            try {
                TableInfo t = table(tr.getKey());
                Map<String, List<JobItem.Row>> bySpec = new LinkedHashMap<>();
                for (JobItem.Row r : tr.getValue()) {
                    bySpec.computeIfAbsent(specOf(t, r.row().destination().partition()), k -> new ArrayList<>()).add(r);
                }
                for (Map.Entry<String, List<JobItem.Row>> g : bySpec.entrySet()) {
                    refused.addAll(writeBlock(unit, run, t, g.getKey(), g.getValue()));
                }
            } catch (Exception e) {
                throw problem(e, "writing to " + project + "." + tr.getKey() + " failed");
            }
        }
        return refused;
    }

    private List<Refusal> writeBlock(MaxComputeRun unit, RunState run, TableInfo t, String spec, List<JobItem.Row> rows)
            throws Exception {
        String table = t.name;
        Session s = session(unit, run, t, rows.get(0).row().destination().partition());
        List<RowEvent> input = new ArrayList<>(rows.size());
        Map<RowEvent, Integer> rowsPartition = new IdentityHashMap<>();
        for (JobItem.Row r : rows) {
            input.add(r.row());
            rowsPartition.put(r.row(), r.rowsPartition());
        }
        TableTunnel.UploadSession upload = sessions.upload(unit, table, s);
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

    /** The overwrite session of a table's partition, opened (and the partition created) on first use. */
    private Session session(MaxComputeRun unit, RunState run, TableInfo t, Map<String, String> partition) throws Exception {
        Map<String, String> canonical = t.partition(partition);
        if (canonical == null) throw mismatch(t, partition);
        String spec = MaxComputeRowSink.specText(canonical);
        // a run of one table recorded before sessions were keyed by table too finds them under their spec
        boolean legacy = !run.routed() && t.name.equals(run.table());
        return sessions.session(unit, t, key(t.name, spec), spec, canonical, legacy);
    }

    /** A session's key in the run's record: its table and partition, as {@link io.kwsync.model.Destination} prints them. */
    private static String key(String table, String spec) {
        return spec.isEmpty() ? table : table + "/" + spec;
    }

    /** A partition as the run's result names it: its spec, prefixed by its table when the run is routed. */
    static String resultKey(RunState run, String table, String spec) {
        return run.routed() ? key(table, spec) : spec;
    }

    /** The table of a recorded session (one recorded without a table is of the run's own table). */
    static String tableOf(RunState run, Session s) {
        return s.table != null ? s.table : run.table();
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

    /**
     * Counts the rows of each replaced partition (of the whole table when unpartitioned) of each table the run
     * replaces, with a download session, which reports its record count on creation and reads nothing; a partition
     * that does not exist is not created and holds none.
     */
    @Override
    public Map<String, Long> rowsHeld(MaxComputeRun unit, RunState run) throws Exception {
        Map<String, Long> held = new LinkedHashMap<>();
        for (String target : run.targets()) {
            try {
                TableInfo t = table(target);
                for (Map<String, String> p : run.replaces()) {
                    String spec = specOf(t, p);
                    long n = rowsIn(t, t.partition(p), spec);
                    if (n > 0) held.put(resultKey(run, target, spec), n);
                }
            } catch (Exception e) {
                throw problem(e, "counting the rows of " + project + "." + target + " failed");
            }
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

    /**
     * Before anything is replaced: checks that rows went only to the tables and partitions the run replaces, opens
     * sessions for replaced partitions without rows, and asks the tunnel whether every session can still be
     * committed, so that a run of several tables finds a lost session before it replaces any table.
     */
    @Override
    public void beforeCommit(MaxComputeRun unit, RunState run) throws Exception {
        List<String> targets = run.targets();
        Map<String, List<String>> replaced = new LinkedHashMap<>();
        for (String target : targets) {
            try {
                TableInfo t = table(target);
                List<String> specs = new ArrayList<>();
                for (Map<String, String> p : run.replaces()) specs.add(specOf(t, p));
                replaced.put(target, specs);
            } catch (Exception e) {
                throw problem(e, "writing to " + project + "." + target + " failed");
            }
        }
        for (Session s : unit.sessions().values()) {
            String table = tableOf(run, s), spec = MaxComputeRowSink.specText(s.partition);
            if (!replaced.containsKey(table)) {
                throw new RunFailedException("rows of the run went to table " + table + ", but the run loads " + targets);
            }
            if (!replaced.get(table).contains(spec)) {
                throw new RunFailedException("rows of the run belong to partition " + spec + " of " + table
                        + ", which is not among the partitions it replaces " + replaced.get(table));
            }
        }
        for (String target : targets) {
            try {
                TableInfo t = table(target);
                for (Map<String, String> p : run.replaces()) session(unit, run, t, p);
            } catch (Exception e) {
                throw problem(e, "writing to " + project + "." + target + " failed");
            }
        }
        for (Session s : unit.sessions().values()) {
            try {
                sessions.checkAlive(unit, tableOf(run, s), s);
            } catch (Exception e) {
                throw problem(e, "partition " + key(tableOf(run, s), MaxComputeRowSink.specText(s.partition))
                        + " cannot be committed, so no table was replaced");
            }
        }
    }

    /**
     * Commits the run's sessions one after another in key order (table by table), recording each. Sessions recorded as
     * committed, or that the tunnel reports committed (a reply lost in a crash), are not committed again.
     */
    @Override
    public Map<String, Long> commit(MaxComputeRun unit, RunState run) throws Exception {
        Map<String, Long> written = new LinkedHashMap<>();
        for (Map.Entry<String, Session> e : new TreeMap<>(unit.sessions()).entrySet()) {
            Session s = e.getValue();
            String table = tableOf(run, s), spec = MaxComputeRowSink.specText(s.partition);
            written.put(resultKey(run, table, spec), s.rows);
            if (s.committed) continue;
            try {
                sessions.commit(unit, table, s);
            } catch (Exception ex) {
                sessions.forget(unit.runId(), s.id);
                if (!(ex instanceof SessionLost) && MaxComputeErrors.retriable(ex) && !MaxComputeErrors.isExpiredSession(ex)) throw ex;
                throw CommitOutcome.failure(run, unit.sessions(), reason(ex, "committing partition "
                        + (spec.isEmpty() ? "(whole table)" : spec) + " of " + table + " failed"), ex);
            }
            s.committed = true;
            unit.record();
        }
        return written;
    }

    @Override
    public void discard(String runId, Collection<String> tables) {
        sessions.forget(runId);
    }

    /**
     * What a failure while staging means: the caller retries what can succeed later (and this process forgets its
     * sessions, reloaded from the tunnel on the next attempt); anything else fails the run.
     */
    private Exception problem(Exception e, String what) {
        if (e instanceof RunFailedException) return e;
        if (!(e instanceof SessionLost) && MaxComputeErrors.retriable(e) && !MaxComputeErrors.isExpiredSession(e)) {
            sessions.forgetAll();
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
