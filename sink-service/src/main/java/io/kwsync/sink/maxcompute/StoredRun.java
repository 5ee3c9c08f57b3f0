package io.kwsync.sink.maxcompute;

import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.job.RunState;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A window-job run as recorded in the progress topic under {@code job/<run id>}, in JSON: the protocol's
 * {@link RunState} and the staging's upload sessions, written together so that a block and the offsets it accounts for
 * are recorded at once. The field names are the record's format: records written by earlier versions read the same.
 */
@RegisterForReflection
final class StoredRun {
    public String table;
    /** Partition specs the run replaces, from its first END marker; null before. */
    public List<Map<String, String>> replaces;
    public int rowsPartitions;
    /** The run may empty partitions that hold rows (its END marker said so); absent, as false, in older records. */
    public boolean allowEmpty;
    /**
     * The run's rows name their own tables (its first END marker said so): {@code table} is then the template and
     * {@code sessions} span every table of {@code tables}. Absent, as false, in older records.
     */
    public boolean routed;
    /** The tables the run's rows named so far, sorted; absent, as empty, in older records. */
    public List<String> tables = new ArrayList<>();
    public Map<Integer, Part> parts = new TreeMap<>();
    /**
     * Destination partition spec text -> its overwrite session; for a routed run {@code table/spec} (just
     * {@code table} when unpartitioned), so that the sessions of one table sort together.
     */
    public Map<String, Session> sessions = new LinkedHashMap<>();
    /** Every check passed and the sessions are being committed; a restart finishes the commits. */
    public boolean committing;
    public LoadResult result;

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
        /** The session's table for a routed run; null for a run of one table (the run's). */
        public String table;
        public Map<String, String> partition = new LinkedHashMap<>();
        public List<Long> blocks = new ArrayList<>();
        public long rows;
        public boolean committed;
    }

    /** The protocol's part; a run recorded without a table takes {@code fixedTable} (null: the rows' own). */
    RunState state(String fixedTable) {
        Map<Integer, RunState.RowsPartition> partitions = new TreeMap<>();
        parts.forEach((k, p) -> partitions.put(k, new RunState.RowsPartition(p.nextOffset, p.staged, p.rejected, p.markerRows)));
        return new RunState(table != null ? table : fixedTable, replaces, rowsPartitions, allowEmpty, partitions, committing,
                result, routed, tables == null ? null : new TreeSet<>(tables));
    }

    static StoredRun of(RunState run, Map<String, Session> sessions) {
        StoredRun r = new StoredRun();
        r.table = run.table();
        r.replaces = run.replaces();
        r.rowsPartitions = run.rowsPartitions();
        r.allowEmpty = run.allowEmpty();
        r.routed = run.routed();
        r.tables = new ArrayList<>(run.tables());
        run.partitions().forEach((k, p) -> {
            Part part = new Part();
            part.nextOffset = p.nextOffset();
            part.staged = p.staged();
            part.rejected = p.rejected();
            part.markerRows = p.announced();
            r.parts.put(k, part);
        });
        r.sessions = sessions;
        r.committing = run.committing();
        r.result = run.decision();
        return r;
    }

    /** What stays of a decided run: its table and its decision. */
    static StoredRun decided(String table, LoadResult result) {
        StoredRun r = new StoredRun();
        r.table = table;
        r.result = result;
        return r;
    }
}
