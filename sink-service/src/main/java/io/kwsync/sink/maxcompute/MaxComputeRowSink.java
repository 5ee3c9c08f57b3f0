package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.Unchained;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.maxcompute.CommitLog.Pending;
import io.kwsync.sink.maxcompute.CommitLog.Progress;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes batches to MaxCompute through tunnel sessions: one session per table partition per batch, all blocks
 * uploaded first, then committed. Append and overwrite sessions are exactly-once through the {@link CommitLog}:
 * rows already committed (at or below a source partition's recorded offset, or in a session the tunnel reports as
 * committed) are skipped, so a replay after a crash or a retry after a partial commit writes each row once. Upsert
 * sessions into transactional primary-key tables are idempotent by the key.
 */
public final class MaxComputeRowSink implements RowSink {

    private static final Logger LOG = Logger.getLogger(MaxComputeRowSink.class);

    private final Odps odps;
    private final String project;
    private final String fixedTable;
    private final WriteMode mode;
    private final TableCatalog catalog;
    private final TunnelSessions sessions;
    private final CommitLog log;
    /** Session id -> committed, for pending sessions resolved during this run. */
    private final Map<String, Boolean> resolved = new HashMap<>();
    /** Overwrites found committed while resolving, not yet recorded as such. */
    private final Set<String> recovered = new HashSet<>();

    MaxComputeRowSink(Odps odps, String project, String fixedTable, WriteMode mode, TableCatalog catalog,
                      TunnelSessions sessions, CommitLog log) {
        this.odps = odps;
        this.project = project;
        this.fixedTable = fixedTable;
        this.mode = mode;
        this.catalog = catalog;
        this.sessions = sessions;
        this.log = log;
    }

    /** Rows for one session: a table partition (and, when overwriting, one job's rows of it). */
    private record GroupKey(String table, Map<String, String> partition, String job) {
    }

    @Override
    public WriteResult write(List<RowEvent> rows, RejectHandler rejects) throws SinkException {
        if (rows.isEmpty()) return WriteResult.EMPTY;
        List<TunnelSessions.Open> open = new ArrayList<>();
        try {
            log.catchUp();
            Map<String, Progress> before = new HashMap<>();
            Map<String, Long> batchMax = new HashMap<>();
            Map<GroupKey, List<RowEvent>> groups = new LinkedHashMap<>();
            int duplicates = 0, unchained = 0;
            String lastTopic = null, source = null;
            GroupKey lastKey = null;
            List<RowEvent> group = null;
            int lastPartition = -1;
            for (RowEvent r : rows) {
                if (r.origin().partition() != lastPartition || !r.origin().topic().equals(lastTopic)) {
                    lastTopic = r.origin().topic();
                    lastPartition = r.origin().partition();
                    source = CommitLog.sourceKey(lastTopic, lastPartition);
                }
                Progress p = before.computeIfAbsent(source, this::resolve);
                Long seen = batchMax.get(source);
                if (seen != null && seen >= r.origin().offset()) {
                    // a source record published twice (ingest replayed it) and already in this batch
                    duplicates++;
                    continue;
                }
                String table = fixedTable != null ? fixedTable : r.destination().table();
                if (isCommitted(p, table, r)) {
                    batchMax.put(source, r.origin().offset());
                    duplicates++;
                    continue;
                }
                // every offset up to p.through() is committed, and this batch so far holds every row up to seen
                if (r.chainedAfter() > Math.max(p.through(), seen == null ? -1 : seen)) {
                    unchained++; // the row published before it is not written: its send failed
                    continue;
                }
                batchMax.put(source, r.origin().offset());
                String job = mode == WriteMode.OVERWRITE ? r.jobId() : null;
                if (group == null || !lastKey.table.equals(table) || !lastKey.partition.equals(r.destination().partition())
                        || !Objects.equals(lastKey.job, job)) {
                    lastKey = new GroupKey(table, r.destination().partition(), job);
                    group = groups.computeIfAbsent(lastKey, k -> new ArrayList<>());
                }
                group.add(r);
            }

            List<Rejected> rejected = new ArrayList<>();
            int written = 0, unknown = 0;
            Set<String> overwriting = new HashSet<>();
            for (Map.Entry<GroupKey, List<RowEvent>> g : groups.entrySet()) {
                GroupKey k = g.getKey();
                TableInfo t = table(k.table);
                String spec = partitionSpec(t, k.partition);
                boolean upsert = upsert(t);
                String marker = CommitLog.overwriteKey(k.job, t.name, spec);
                boolean overwrite = mode == WriteMode.OVERWRITE && !log.overwritten(marker) && !recovered.contains(marker)
                        && !overwriting.contains(marker);
                if (overwrite) overwriting.add(marker);
                PartitionSpec partition = spec.isEmpty() ? null : TableCatalog.spec(k.partition);
                if (partition != null) catalog.ensurePartition(t, partition, spec);
                TunnelSessions.Open s = upsert ? sessions.upsert(t, partition, spec) : sessions.upload(t, partition, spec, overwrite, k.job);
                open.add(s);
                TunnelSessions.Written w = s.write(g.getValue());
                written += w.rows().size();
                unknown += w.unknownKeys();
                rejected.addAll(w.rejected());
            }
            if (!rejected.isEmpty()) rejects.reject(rejected);

            Map<String, Progress> intents = intents(before, open);
            if (!intents.isEmpty()) log.record(intents, Set.of(), true);
            for (TunnelSessions.Open s : open) s.commit();

            Map<String, Progress> done = new HashMap<>();
            for (Map.Entry<String, Long> e : batchMax.entrySet()) {
                Progress p = before.get(e.getKey());
                long through = Math.max(e.getValue(), p.pending().stream().mapToLong(Pending::max).reduce(p.through(), Math::max));
                done.put(e.getKey(), new Progress(through, List.of()));
            }
            Set<String> markers = new HashSet<>(recovered);
            for (TunnelSessions.Open s : open) if (s.overwrite()) markers.add(CommitLog.overwriteKey(s.job(), s.table().name, s.spec()));
            log.record(done, markers, false);
            resolved.clear();
            recovered.clear();
            if (unchained > 0) Unchained.log(unchained);
            return new WriteResult(written, duplicates + unchained, rejected.size(), unknown);
        } catch (TableMismatch e) {
            throw new SinkException(e.getMessage(), false, e);
        } catch (Exception e) {
            open.forEach(TunnelSessions.Open::abandon);
            if (MaxComputeErrors.isMissingPartition(e)) open.forEach(s -> s.table().knownPartitions.clear());
            open.forEach(s -> catalog.forget(s.table().name));
            throw new SinkException(MaxComputeErrors.describe(e, "writing " + rows.size() + " rows to MaxCompute project "
                    + project + " failed"), MaxComputeErrors.retriable(e), e);
        }
    }

    /** The recorded progress of a source partition, its pending sessions asked about once. */
    private Progress resolve(String source) {
        Progress p = log.progress(source);
        for (Pending e : p.pending()) {
            if (e.upsert() || resolved.containsKey(e.session())) continue;
            boolean committed = sessions.committed(e.table(), e.spec(), e.session());
            resolved.put(e.session(), committed);
            // a committed overwrite counts as done, or the job's next rows would wipe the partition again
            if (committed && e.overwrite()) recovered.add(CommitLog.overwriteKey(e.job(), e.table(), e.spec()));
            LOG.infof("session %s of %s/%s for %s offsets %d-%d was %s", e.session(), e.table(), e.spec(), source, e.min(), e.max(),
                    resolved.get(e.session()) ? "committed: its rows are skipped" : "not committed: its rows are written again");
        }
        return p;
    }

    private boolean isCommitted(Progress p, String table, RowEvent r) {
        long offset = r.origin().offset();
        if (offset <= p.through()) return true;
        for (Pending e : p.pending()) {
            if (!e.upsert() && offset >= e.min() && offset <= e.max() && Boolean.TRUE.equals(resolved.get(e.session()))
                    && e.table().equals(table) && e.spec().equals(specText(r.destination().partition()))) {
                return true;
            }
        }
        return false;
    }

    /** Per source partition: what was committed before, plus this batch's sessions as pending. */
    private Map<String, Progress> intents(Map<String, Progress> before, List<TunnelSessions.Open> open) {
        Map<String, List<Pending>> pending = new HashMap<>();
        for (TunnelSessions.Open s : open) {
            Map<String, long[]> ranges = new HashMap<>();
            for (RowEvent r : s.rows()) {
                long[] range = ranges.computeIfAbsent(CommitLog.sourceKey(r.origin().topic(), r.origin().partition()),
                        k -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE});
                range[0] = Math.min(range[0], r.origin().offset());
                range[1] = Math.max(range[1], r.origin().offset());
            }
            ranges.forEach((source, range) -> pending.computeIfAbsent(source, k -> new ArrayList<>()).add(new Pending(s.table().name,
                    s.spec(), s.job(), s.id(), range[0], range[1], s.overwrite(), s.upsert())));
        }
        if (pending.values().stream().allMatch(l -> l.stream().allMatch(Pending::upsert))) return Map.of();
        Map<String, Progress> out = new HashMap<>();
        pending.forEach((source, list) -> {
            Progress p = before.get(source);
            List<Pending> keep = new ArrayList<>();
            for (Pending e : p.pending()) if (Boolean.TRUE.equals(resolved.get(e.session()))) keep.add(e);
            keep.addAll(list);
            out.put(source, new Progress(p.through(), keep));
        });
        return out;
    }

    private TableInfo table(String name) throws Exception {
        TableInfo t = catalog.get(name);
        if (mode == WriteMode.UPSERT && !t.delta) {
            throw new TableMismatch("table " + project + "." + name + " is not a transactional table with a primary key,"
                    + " so KWSYNC_MAXCOMPUTE_WRITE_MODE=upsert cannot write it (use append, or auto)");
        }
        return t;
    }

    private boolean upsert(TableInfo t) {
        return mode == WriteMode.UPSERT || mode == WriteMode.AUTO && t.delta;
    }

    /** The spec text of a row's partition, checked against the table's partition columns. */
    private String partitionSpec(TableInfo t, Map<String, String> partition) throws TableMismatch {
        if (!t.partitionColumns.equals(new ArrayList<>(partition.keySet()))) {
            throw new TableMismatch("table " + project + "." + t.name + " is partitioned by " + t.partitionColumns
                    + " but rows carry the partition " + (partition.isEmpty() ? "{} (none)" : partition)
                    + "; set ingest-service's KWSYNC_PARTITION_COLUMNS (and KWSYNC_PARTITION_GRANULARITY) to match the table");
        }
        return specText(partition);
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

    /** A cheap probe for readiness: does the project answer now? */
    public boolean isReachable() {
        try {
            odps.projects().get(project).reload();
            return true;
        } catch (Exception e) {
            LOG.debugf("MaxCompute not reachable: %s", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        sessions.close();
        log.close();
    }

    @Override
    public String toString() {
        return "MaxComputeRowSink[" + project + (fixedTable == null ? "" : "." + fixedTable) + ", " + mode + "]";
    }
}
