package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowOperation;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.Unchained;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.maxcompute.CommitLog.Progress;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.sink.maxcompute.TunnelSessions.Written;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes rows to MaxCompute through tunnel sessions that stay open per destination partition and are committed at a
 * pace ({@link Pacing}: by age, by size, before the tunnel's limits, and all of them when the rows consumer hands
 * partitions over or shuts down). Each write adds a block (upload sessions: append, overwrite) or a flush (upsert
 * sessions) to its partitions' sessions; {@link #commitDue} tells the consumer which writes are durable, so that Kafka
 * offsets are committed only after the session holding their rows. In stream mode each write is flushed to
 * streaming-tunnel sessions and durable at once ({@link StreamTargets}).
 *
 * <p>Exactly once for append and overwrite, through the {@link CommitLog}: every source partition's record lists the
 * sessions holding its rows, as open, committing or committed. After a crash, a session recorded open was never
 * committed and is left to expire; one recorded committing is settled with the tunnel ({@link UploadCommit}: committed,
 * or committed now, or lost) before any of its rows is written again; rows in committed sessions are skipped
 * ({@link SourceLedger}). Upsert sessions are idempotent by the table's key. A session lost while it holds rows of
 * earlier writes (expired, forgotten by the tunnel) cannot be written again from here, as those rows are no longer in
 * memory: the sink then fails for good (liveness DOWN), and after the restart they are read again from the rows topic.
 *
 * <p>Not thread-safe: the rows consumer's writer thread calls it (the readiness probe only calls {@link #isReachable}).
 */
public final class MaxComputeRowSink implements RowSink {

    private static final Logger LOG = Logger.getLogger(MaxComputeRowSink.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final Odps odps;
    private final String project;
    private final String fixedTable;
    private final WriteMode mode;
    private final TableCatalog catalog;
    private final ColumnAdder columns;
    private final TunnelSessions tunnels;
    private final SdkCalls calls;
    private final CommitLog log;
    private final Pacing pacing;
    private final Clock clock;
    private final SourceLedger ledger = new SourceLedger();
    private final Recovery recovery;
    private final StreamTargets streams;
    /** Open sessions by destination partition. */
    private final Map<SessionKey, HeldSession> held = new LinkedHashMap<>();
    private long writes;
    /** Why the last readiness probe failed; written by the probe's thread. */
    private volatile String probeFailure;

    /** @param columns adds columns for new keys (KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS); null when off */
    MaxComputeRowSink(Odps odps, String project, String fixedTable, WriteMode mode, TableCatalog catalog, TunnelSessions tunnels,
                      CommitLog log, Pacing pacing, Clock clock, ColumnAdder columns) {
        this.columns = columns;
        this.odps = odps;
        this.project = project;
        this.fixedTable = fixedTable;
        this.mode = mode;
        this.catalog = catalog;
        this.tunnels = tunnels;
        this.calls = tunnels.calls();
        this.log = log;
        this.pacing = pacing;
        this.clock = clock;
        this.recovery = new Recovery(log, tunnels, ledger);
        this.streams = new StreamTargets(tunnels, pacing, catalog.maxTables());
    }

    @Override
    public WriteResult write(List<RowEvent> rows, RejectHandler rejects) throws SinkException {
        if (rows.isEmpty()) {
            writes++;
            return WriteResult.EMPTY;
        }
        long write = writes + 1;
        List<HeldSession.Staged> staged = new ArrayList<>();
        try {
            recovery.load(rows);
            SourceLedger.Plan plan = ledger.plan(rows, fixedTable, r -> mode == WriteMode.OVERWRITE ? r.jobId() : null);
            if (columns != null) columns.addMissing(plan.rowsByTable(), this::table, this::closeSessions);
            Map<SessionKey, List<RowEvent>> groups = new LinkedHashMap<>();
            Map<SessionKey, TableInfo> tables = new HashMap<>();
            for (Map.Entry<SourceLedger.RawKey, List<RowEvent>> g : plan.groups.entrySet()) {
                TableInfo t = table(g.getKey().table());
                SessionKey key = new SessionKey(t.name, specOf(t, g.getKey().partition()), g.getKey().job());
                tables.put(key, t);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).addAll(g.getValue());
            }
            List<Rejected> rejected = new ArrayList<>();
            int written = 0, unknown = 0;
            for (Map.Entry<SessionKey, List<RowEvent>> g : groups.entrySet()) {
                TableInfo t = tables.get(g.getKey());
                List<RowEvent> take = upsert(t) ? g.getValue() : refuseDeletes(t, g.getValue(), rejected);
                Written w = mode == WriteMode.STREAM ? stream(g.getKey(), t, take) : stage(g.getKey(), t, take, staged);
                written += w.rows().size();
                unknown += w.unknownKeys();
                rejected.addAll(w.rejected());
            }
            if (!rejected.isEmpty()) rejects.reject(rejected);
            for (HeldSession.Staged s : staged) s.session().apply(s, write);
            ledger.apply(plan);
            writes = write;
            record(plan.taken.keySet(), false);
            if (plan.unchained > 0) Unchained.log(plan.unchained);
            return new WriteResult(written, plan.duplicates + plan.unchained, rejected.size(), unknown);
        } catch (TableMismatch e) {
            throw new SinkException(e.getMessage(), false, e);
        } catch (Exception e) {
            throw failure(e, "writing " + rows.size() + " rows to MaxCompute project " + project + " failed", staged);
        }
    }

    /** Adds rows to the partition's open session, committing it first when it cannot take more. */
    private Written stage(SessionKey key, TableInfo t, List<RowEvent> rows, List<HeldSession.Staged> staged) throws Exception {
        HeldSession s = held.get(key);
        Instant now = clock.instant();
        if (s != null && (s.committing || s.blocks >= pacing.maxBlocks() || pacing.nearEnd(s.opened, now))) {
            commit(s);
            s = null;
        }
        if (s == null) s = open(key, t);
        HeldSession.Staged st;
        try {
            st = s.stage(rows);
        } catch (Exception e) {
            if (MaxComputeErrors.isExpiredSession(e)) {
                throw new SessionLost(s.id(), s + " expired or is no longer known to the tunnel ("
                        + MaxComputeErrors.describe(e, "tunnel") + ")", e);
            }
            if (!MaxComputeErrors.isBlockLimit(e)) throw e;
            LOG.infof("%s takes no more blocks after %d; committing it", s, s.blocks);
            commit(s);
            st = open(key, t).stage(rows);
        }
        staged.add(st);
        return st.written();
    }

    /** Before a table gets new columns: its open sessions committed, its streaming sessions dropped. */
    private void closeSessions(String table) throws Exception {
        for (HeldSession s : new ArrayList<>(held.values())) if (s.table.name.equals(table)) commit(s);
        streams.forget(table);
    }

    /** Opens the partition's session (creating the partition first when needed); its age counts from its creation. */
    private HeldSession open(SessionKey key, TableInfo t) throws Exception {
        PartitionSpec partition = key.spec().isEmpty() ? null : TableCatalog.spec(TunnelSessions.parse(key.spec()));
        if (partition != null) catalog.ensurePartition(t, partition, key.spec());
        HeldSession s;
        if (upsert(t)) {
            s = tunnels.upsert(key, t, partition, clock);
        } else {
            boolean overwrite = mode == WriteMode.OVERWRITE && !recovery.overwritten(CommitLog.overwriteKey(key.job(), t.name, key.spec()));
            s = tunnels.upload(key, t, partition, overwrite, clock);
        }
        held.put(key, s);
        LOG.debugf("opened %s", s);
        return s;
    }

    private Written stream(SessionKey key, TableInfo t, List<RowEvent> rows) throws Exception {
        PartitionSpec partition = key.spec().isEmpty() ? null : TableCatalog.spec(TunnelSessions.parse(key.spec()));
        Written w = streams.write(key, t, partition, rows, clock.instant());
        ledger.flushed(w.rows(), t.name, key.spec());
        return w;
    }

    /**
     * Commits the sessions that are due ({@link Pacing}), or all of them; returns how many writes are durable: all
     * before the first write still held in an open session.
     */
    @Override
    public long commitDue(boolean everything) throws SinkException {
        Instant now = clock.instant();
        try {
            for (HeldSession s : new ArrayList<>(held.values())) {
                if (everything || s.committing || pacing.due(s.opened, now, s.bytes, s.blocks)) commit(s);
            }
            if (everything) {
                log.flush();
                ledger.forgetAll(); // the partitions may go elsewhere: what is known is read again from the log
            }
        } catch (Exception e) {
            throw failure(e, "committing tunnel sessions in MaxCompute project " + project + " failed", List.of());
        }
        long durable = writes;
        for (HeldSession s : held.values()) if (s.firstWrite > 0) durable = Math.min(durable, s.firstWrite - 1);
        return durable;
    }

    /**
     * Commits one session: the blocks on the tunnel made exactly the counted ones, the session recorded as committing
     * (and the broker's acknowledgement awaited), the commit settled with the tunnel, and the session recorded as
     * committed. An upsert session is recorded too: its rows may be written again, but not before its commit ended, or
     * its older values could land after the newer ones.
     */
    private void commit(HeldSession s) throws Exception {
        try {
            settle(s);
        } catch (SessionLost e) {
            throw e;
        } catch (Exception e) {
            if (!MaxComputeErrors.isExpiredSession(e)) throw e;
            throw new SessionLost(s.id(), s + " expired or is no longer known to the tunnel (" + MaxComputeErrors.describe(e, "tunnel") + ")", e);
        }
    }

    private void settle(HeldSession s) throws Exception {
        s.prepareCommit();
        if (!s.holdsRows() && !s.committing) {
            // nothing to commit: an overwrite with nothing written must not empty the partition
            held.remove(s.key);
            s.close();
            return;
        }
        if (!s.committing) {
            s.committing = true;
            record(s.ranges.keySet(), true);
        }
        s.commit();
        held.remove(s.key);
        ledger.committed(s);
        Set<String> markers = s.overwrite() ? Set.of(CommitLog.overwriteKey(s.key.job(), s.table.name, s.key.spec())) : Set.of();
        record(s.ranges.keySet(), false, markers);
        LOG.debugf("committed %s: %d rows in %d blocks", s, s.rows, s.blocks);
    }

    private void record(Set<String> sources, boolean sync) {
        record(sources, sync, Set.of());
    }

    private void record(Set<String> sources, boolean sync, Set<String> markers) {
        Map<String, Progress> updates = new HashMap<>();
        for (String k : sources) if (ledger.get(k) != null) updates.put(k, ledger.progress(k, held.values()));
        Set<String> all = new LinkedHashSet<>(markers);
        all.addAll(recovery.takeRecoveredMarkers());
        if (!updates.isEmpty() || !all.isEmpty()) log.record(updates, all, sync);
    }

    /**
     * What a failure means. A session lost with rows of earlier writes in it fails the sink for good: those rows are
     * only in the rows topic now, and the restart reads them again. Anything else is retried or not as MaxCompute's
     * answer says; what this process cached about the tables involved is dropped.
     */
    private SinkException failure(Exception e, String what, List<HeldSession.Staged> staged) {
        if (e instanceof SessionLost lost) {
            List<HeldSession> gone = new ArrayList<>();
            for (HeldSession s : held.values()) if (s.id().equals(lost.session())) gone.add(s);
            boolean heldRows = gone.stream().anyMatch(s -> s.holdsRows() || s.committing);
            gone.forEach(s -> held.remove(s.key));
            if (heldRows) {
                return new SinkException(what + ": " + e.getMessage() + ". Rows of earlier batches were in it and are not"
                        + " acknowledged; the sink stops, and after its restart reads them again from the rows topic", false, e);
            }
            return new SinkException(what + ": " + e.getMessage() + "; a new session takes its rows", true, e);
        }
        Set<String> tablesInvolved = new LinkedHashSet<>();
        staged.forEach(s -> tablesInvolved.add(s.session().table.name));
        if (MaxComputeErrors.isMissingPartition(e)) held.values().forEach(s -> s.table.knownPartitions.clear());
        tablesInvolved.forEach(catalog::forget);
        KeylessCredentials keyless = Credentials.keyless(odps.getAccount());
        if (keyless != null && MaxComputeErrors.credentialsRefused(e)) {
            // rotated credentials can make the same rows go through: wait for them instead of giving up
            return SinkException.waiting(MaxComputeErrors.describe(e, what, keyless.waitingFor()), e);
        }
        return new SinkException(MaxComputeErrors.describe(e, what), MaxComputeErrors.retriable(e), e);
    }

    private TableInfo table(String name) throws Exception {
        TableInfo t = catalog.get(name);
        if (mode == WriteMode.UPSERT && !t.delta) {
            throw new TableMismatch("table " + project + "." + name + " is not a transactional table with a primary key,"
                    + " so KWSYNC_MAXCOMPUTE_WRITE_MODE=upsert cannot write it (use append, or auto)");
        }
        return t;
    }

    /**
     * Delete events (rows format 3) need an upsert session on a transactional primary-key table; appended or
     * overwritten tables cannot delete a row, so each delete is refused with the reason and the other rows go on.
     */
    private List<RowEvent> refuseDeletes(TableInfo t, List<RowEvent> rows, List<Rejected> rejected) {
        List<RowEvent> keep = new ArrayList<>(rows.size());
        for (RowEvent r : rows) {
            if (r.operation() != RowOperation.DELETE) {
                keep.add(r);
            } else {
                rejected.add(new Rejected(r, new DirtyRecordException(DirtyRecordException.Stage.WRITE, "table " + t.name
                        + ": a delete event needs an upsert session (a transactional table with a primary key, and"
                        + " KWSYNC_MAXCOMPUTE_WRITE_MODE=upsert or auto); write mode " + mode.name().toLowerCase(java.util.Locale.ROOT)
                        + " cannot delete rows")));
            }
        }
        return keep;
    }

    private boolean upsert(TableInfo t) {
        return mode == WriteMode.UPSERT || mode == WriteMode.AUTO && t.delta;
    }

    /** The spec text of a row's partition in the table's spelling; partition column names match without regard to case. */
    private String specOf(TableInfo t, Map<String, String> partition) throws TableMismatch {
        Map<String, String> spec = t.partition(partition);
        if (spec == null) {
            throw new TableMismatch("table " + project + "." + t.name + " is partitioned by " + t.partitionColumns
                    + " but rows carry the partition " + (partition.isEmpty() ? "{} (none)" : partition)
                    + "; set ingest-service's KWSYNC_PARTITION_COLUMNS (and KWSYNC_PARTITION_GRANULARITY) to match the table");
        }
        return specText(spec);
    }

    static String specText(Map<String, String> partition) {
        if (partition.isEmpty()) return "";
        StringBuilder sb = new StringBuilder();
        partition.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    /** Rows and table do not fit together; no retry can help. */
    static final class TableMismatch extends Exception {
        TableMismatch(String message) {
            super(message);
        }
    }

    /**
     * What this sink holds in memory per destination: open tunnel sessions (committed at the pace, then dropped),
     * streaming sessions and cached tables (both at most KWSYNC_MAXCOMPUTE_TABLE_CACHE_SIZE).
     */
    record Held(int sessions, int streams, int tables) {
    }

    Held held() {
        return new Held(held.size(), streams.size(), catalog.size());
    }

    /** A cheap probe for readiness: does the project answer now (within a few seconds)? */
    public boolean isReachable() {
        try {
            calls.call(null, "probing project " + project, PROBE_TIMEOUT, () -> {
                odps.projects().get(project).reload();
                return null;
            });
            probeFailure = null;
            return true;
        } catch (Exception e) {
            LOG.debugf("MaxCompute not reachable: %s", e.getMessage());
            KeylessCredentials keyless = Credentials.keyless(odps.getAccount());
            probeFailure = MaxComputeErrors.describe(e, "probing project " + project,
                    keyless == null ? "check KWSYNC_MAXCOMPUTE_ACCESS_ID and KWSYNC_MAXCOMPUTE_ACCESS_KEY" : keyless.waitingFor());
            return false;
        }
    }

    /**
     * For readiness: why the credentials could not be renewed, else why the last probe failed; null when both are fine.
     * Never a secret: the SDK's messages name no credential.
     */
    public String problem() {
        KeylessCredentials keyless = Credentials.keyless(odps.getAccount());
        String credentials = keyless == null ? null : keyless.problem();
        return credentials != null ? credentials : probeFailure;
    }

    @Override
    public void close() {
        held.values().forEach(HeldSession::close);
        tunnels.close();
        calls.close();
        log.close();
    }

    @Override
    public String toString() {
        return "MaxComputeRowSink[" + project + (fixedTable == null ? "" : "." + fixedTable) + ", " + mode + "]";
    }
}
