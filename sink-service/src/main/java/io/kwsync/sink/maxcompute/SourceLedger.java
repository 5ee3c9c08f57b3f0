package io.kwsync.sink.maxcompute;

import io.kwsync.model.RowEvent;
import io.kwsync.sink.maxcompute.CommitLog.Pending;
import io.kwsync.sink.maxcompute.CommitLog.Progress;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the sink knows per source partition (topic/partition of the records ingest-service read): the offsets taken
 * (written into a session, or skipped as already there), and sessions committed whose offsets reach above what is
 * recorded as done. It decides which rows of a write to skip, and makes the {@link Progress} records of the commit log:
 * {@code through} never passes a row that sits in a session not yet committed.
 *
 * <p>Not thread-safe: the sink's writer thread owns it.
 */
final class SourceLedger {

    /** One source partition. */
    static final class Source {
        long through;
        /** Every offset at or below it is in a session (held or committed) or was skipped as a duplicate. */
        long taken;
        /** Sessions committed (or, in stream mode, rows flushed) that reach above {@code through}. */
        final List<Pending> committed = new ArrayList<>();

        Source(long through, List<Pending> committed) {
            this.through = through;
            this.taken = through;
            this.committed.addAll(committed);
        }
    }

    /** The rows of one destination partition as rows name it (the table resolves the spelling). */
    record RawKey(String table, Map<String, String> partition, String job) {
        /** As {@link #equals} a key of these parts would be; the decoder's shared names make most checks one reference. */
        boolean is(String table, Map<String, String> partition, String job) {
            return (this.table == table || this.table.equals(table)) && (this.partition == partition || this.partition.equals(partition))
                    && Objects.equals(this.job, job);
        }
    }

    /** What a write does with its rows: groups to write, and the offsets it takes once it succeeds. */
    static final class Plan {
        final Map<RawKey, List<RowEvent>> groups = new LinkedHashMap<>();
        final Map<String, Long> taken = new HashMap<>();
        int duplicates;
        int unchained;

        /** The rows to write, by destination table. */
        Map<String, List<RowEvent>> rowsByTable() {
            Map<String, List<RowEvent>> out = new LinkedHashMap<>();
            groups.forEach((k, rows) -> out.computeIfAbsent(k.table(), t -> new java.util.ArrayList<>()).addAll(rows));
            return out;
        }
    }

    private final Map<String, Source> sources = new HashMap<>();

    Source get(String key) {
        return sources.get(key);
    }

    void load(String key, long through, List<Pending> committed) {
        sources.put(key, new Source(through, committed));
    }

    /** Forgets everything: after the partitions were handed over, what is known is read again from the commit log. */
    void forgetAll() {
        sources.clear();
    }

    /**
     * Sorts rows (of sources all {@link #get known}) into groups by destination, skipping rows at or below what was
     * taken, rows in a committed session of their destination (a replay after a crash), and rows whose predecessor
     * was not taken (ingest's send of it failed; see {@link RowEvent#chainedAfter()}).
     *
     * @param job the job a row's session is about (overwrite mode), or null
     */
    Plan plan(List<RowEvent> rows, String fixedTable, java.util.function.Function<RowEvent, String> job) {
        Plan plan = new Plan();
        String lastTopic = null, source = null;
        int lastPartition = -1;
        Source src = null;
        RawKey lastKey = null;
        List<RowEvent> group = null;
        for (int i = 0, end; i < rows.size(); i = end) {
            // the rows of one source record are decided together: taken once, skipped as one duplicate or unchained
            end = RowEvent.recordEnd(rows, i);
            RowEvent r = rows.get(i);
            if (r.origin().partition() != lastPartition || !r.origin().topic().equals(lastTopic)) {
                lastTopic = r.origin().topic();
                lastPartition = r.origin().partition();
                source = CommitLog.sourceKey(lastTopic, lastPartition);
                src = Objects.requireNonNull(sources.get(source), source);
            }
            long taken = plan.taken.getOrDefault(source, src.taken);
            long offset = r.origin().offset();
            if (offset <= taken) {
                plan.duplicates += end - i; // a source record ingest-service published twice
                continue;
            }
            // rows in a committed session of their destination partition: the record was taken before, and these of
            // its rows are in MaxCompute (its others may sit in a session that was not committed)
            boolean[] committed = src.committed.isEmpty() ? null : new boolean[end - i];
            boolean anyCommitted = false;
            for (int j = i; committed != null && j < end; j++) {
                RowEvent row = rows.get(j);
                committed[j - i] = isCommitted(src, fixedTable != null ? fixedTable : row.destination().table(), row);
                anyCommitted |= committed[j - i];
            }
            if (!anyCommitted && r.chainedAfter() > taken) {
                plan.unchained += end - i; // the row published before it was not taken: its send failed
                continue;
            }
            plan.taken.put(source, offset);
            for (int j = i; j < end; j++) {
                if (committed != null && committed[j - i]) {
                    plan.duplicates++;
                    continue;
                }
                RowEvent row = rows.get(j);
                String table = fixedTable != null ? fixedTable : row.destination().table();
                Map<String, String> partition = row.destination().partition();
                String rowJob = job.apply(row);
                // rows come in runs of one destination: a row like the one before joins its group without a key of its own
                if (group == null || !lastKey.is(table, partition, rowJob)) {
                    lastKey = new RawKey(table, partition, rowJob);
                    group = plan.groups.computeIfAbsent(lastKey, k -> new ArrayList<>());
                }
                group.add(row);
            }
        }
        return plan;
    }

    /** The offsets a successful write took. */
    void apply(Plan plan) {
        plan.taken.forEach((k, v) -> sources.get(k).taken = Math.max(sources.get(k).taken, v));
    }

    /** Rows of one write's destination group that are durable on their own (stream mode): replays skip them. */
    void flushed(List<RowEvent> rows, String table, String spec) {
        Map<String, long[]> ranges = new HashMap<>();
        for (RowEvent r : rows) {
            long[] range = ranges.computeIfAbsent(CommitLog.sourceKey(r.origin().topic(), r.origin().partition()),
                    k -> new long[]{Long.MAX_VALUE, Long.MIN_VALUE});
            range[0] = Math.min(range[0], r.origin().offset());
            range[1] = Math.max(range[1], r.origin().offset());
        }
        ranges.forEach((k, range) -> sources.get(k).committed.add(new Pending(table, spec, null, "stream", range[0], range[1],
                false, false, Pending.COMMITTED, 0)));
    }

    /** A held session was committed: the rows it held count as committed for each of its sources. */
    void committed(HeldSession s) {
        for (String k : s.ranges.keySet()) {
            Source src = sources.get(k);
            if (src != null && !s.upsert()) src.committed.add(s.pending(k, Pending.COMMITTED));
        }
    }

    /**
     * The record of a source partition: {@code through} stops below the first row of it a held session has (those are
     * not in MaxCompute yet), and lists the held sessions and the committed ones still above {@code through}.
     */
    Progress progress(String key, Collection<HeldSession> held) {
        Source src = sources.get(key);
        long through = src.taken;
        List<Pending> pending = new ArrayList<>();
        for (HeldSession s : held) {
            long[] range = s.ranges.get(key);
            if (range == null) continue;
            through = Math.min(through, range[0] - 1);
            pending.add(s.pending(key, s.committing ? Pending.COMMITTING : Pending.OPEN));
        }
        src.through = Math.max(src.through, through);
        long done = src.through;
        src.committed.removeIf(e -> e.max() <= done);
        pending.addAll(src.committed);
        return new Progress(done, pending);
    }

    /** Sources known now. */
    Set<String> keys() {
        return sources.keySet();
    }

    private static boolean isCommitted(Source src, String table, RowEvent r) {
        long offset = r.origin().offset();
        for (Pending e : src.committed) {
            if (offset >= e.min() && offset <= e.max() && e.table().equalsIgnoreCase(table)
                    && sameSpec(e.spec(), r.destination().partition())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a recorded spec names the row's partition; column names compare without regard to case. */
    static boolean sameSpec(String recorded, Map<String, String> partition) {
        Map<String, String> a = new HashMap<>();
        TunnelSessions.parse(recorded).forEach((k, v) -> a.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, String> b = new HashMap<>();
        partition.forEach((k, v) -> b.put(k.toLowerCase(Locale.ROOT), v));
        return a.equals(b);
    }
}
