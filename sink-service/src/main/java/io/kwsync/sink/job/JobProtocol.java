package io.kwsync.sink.job;

import io.kwsync.model.Destination;
import io.kwsync.model.job.JobMarker;
import io.kwsync.sink.job.RunState.RowsPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The window-job run protocol of the sink side, as one pure function: given what is recorded about a run and the
 * items of one poll, what to do. It is the only place that knows the rules, so every destination follows them the
 * same way ({@link JobRuns} carries the decision out with the destination's staging and run-state store):
 * <ul>
 *   <li>a run already decided changes no more; an END marker among its items (a redelivery after a restart, or the
 *   marker of a replica that read another rows partition) repeats the decision, so a lost status message is sent
 *   again;</li>
 *   <li>a run whose commit began is finished first, whatever the items;</li>
 *   <li>per rows partition, an item below the recorded next offset was taken before and is skipped;</li>
 *   <li>an ABORT marker decides the run at once; rows before it in the same poll are not staged;</li>
 *   <li>the first END marker gives the run its shape (the partitions it replaces, how many markers complete it, and
 *   whether its rows are routed to tables of their own);</li>
 *   <li>the tables the rows name are collected: a routed run replaces its partitions in each of them;</li>
 *   <li>when a poll brings an END marker and every rows partition has announced its count, the run commits if each
 *   partition's staged plus refused rows equal its announcement, and fails otherwise;</li>
 *   <li>a run that brings no row at all commits only if its END marker allows emptying partitions, or if the
 *   partitions it replaces hold no rows ({@link Step#GUARD}, settled by {@link #guard}): a window that read nothing by
 *   mistake must not wipe a loaded partition.</li>
 * </ul>
 * New rows are counted as staged here; rows the destination then refuses move to the refused count
 * ({@link #refused}), which leaves the sum the END marker is checked against unchanged.
 */
public final class JobProtocol {

    private JobProtocol() {
    }

    /** What to do with a run after a poll. */
    public enum Step {
        /** Decided before: publish {@code run.decision()} again. Nothing is staged. */
        REPEAT,
        /** Decided before, and nothing asks for the decision: drop the items. */
        IGNORE,
        /** The commit began before a restart: finish it. */
        FINISH,
        /** ingest-service gave the run up: decide it ABORTED, throw away what is staged. */
        ABORT,
        /** Stage the new rows, record the state and wait for more. */
        WAIT,
        /** Stage the new rows, then make the run visible: every count matched. */
        COMMIT,
        /** Stage the new rows, then fail the run with {@code failure}: a count does not match. */
        FAIL,
        /**
         * Every count matched, but the run brings no row and its END marker does not allow emptying: ask the staging
         * which replaced partitions hold rows, then let {@link #guard} decide COMMIT or FAIL.
         */
        GUARD
    }

    /**
     * @param run     the state to carry on with (for WAIT, COMMIT, FAIL and GUARD, with the new rows counted as staged)
     * @param rows    the rows not seen before, in poll order; empty unless the step stages
     * @param failure why the run fails, for FAIL
     */
    public record Decision(Step step, RunState run, List<JobItem.Row> rows, String failure) {
    }

    /** Decides what one poll's items mean for a run; {@code items} are the run's, in rows-topic order per partition. */
    public static Decision decide(RunState run, List<JobItem> items) {
        if (run.decision() != null) {
            return new Decision(JobItem.hasEnd(items) ? Step.REPEAT : Step.IGNORE, run, List.of(), null);
        }
        if (run.committing()) return new Decision(Step.FINISH, run, List.of(), null);
        String table = run.table();
        List<Map<String, String>> replaces = run.replaces();
        int rowsPartitions = run.rowsPartitions();
        boolean allowEmpty = run.allowEmpty();
        boolean routed = run.routed();
        SortedSet<String> tables = new TreeSet<>(run.tables());
        Map<Integer, RowsPartition> parts = new TreeMap<>(run.partitions());
        List<JobItem.Row> rows = new ArrayList<>();
        boolean endSeen = false;
        for (JobItem item : items) {
            RowsPartition p = parts.getOrDefault(item.rowsPartition(), RowsPartition.NONE);
            if (item.rowsOffset() < p.nextOffset()) continue; // taken before: a redelivery
            long next = item.rowsOffset() + 1;
            if (item instanceof JobItem.Row r) {
                rows.add(r);
                if (table == null) table = r.row().destination().table();
                tables.add(r.row().destination().table());
                parts.put(item.rowsPartition(), new RowsPartition(next, p.staged() + 1, p.rejected(), p.announced()));
                continue;
            }
            JobMarker m = ((JobItem.Marker) item).marker();
            if (m.kind() == JobMarker.Kind.ABORT) {
                RunState aborted = new RunState(table, replaces, rowsPartitions, allowEmpty, parts, false, null, routed, tables);
                return new Decision(Step.ABORT, aborted, List.of(), null);
            }
            parts.put(item.rowsPartition(), new RowsPartition(next, p.staged(), p.rejected(), m.rows()));
            endSeen = true;
            if (replaces == null) {
                replaces = m.replaces().stream().map(Destination::partition).toList();
                rowsPartitions = m.rowsPartitions();
                allowEmpty = m.allowEmpty();
                routed = m.routed();
                // a routed run is named by its template, whatever table its first row went to
                if (table == null || routed) table = m.table();
            }
        }
        RunState next = new RunState(table, replaces, rowsPartitions, allowEmpty, parts, false, null, routed, tables);
        if (!endSeen || rowsPartitions == 0) return new Decision(Step.WAIT, next, rows, null);
        long markers = parts.values().stream().filter(p -> p.announced() != null).count();
        if (markers < rowsPartitions) return new Decision(Step.WAIT, next, rows, null);
        for (Map.Entry<Integer, RowsPartition> e : parts.entrySet()) {
            RowsPartition p = e.getValue();
            if (p.announced() != null && p.arrived() != p.announced()) {
                return new Decision(Step.FAIL, next, rows, "rows partition " + e.getKey() + " announced " + p.announced()
                        + " rows but " + p.arrived() + " arrived");
            }
        }
        if (next.arrived() == 0 && !allowEmpty) return new Decision(Step.GUARD, next, rows, null);
        return new Decision(Step.COMMIT, next, rows, null);
    }

    /**
     * Settles a {@link Step#GUARD}: the run commits when none of the partitions it replaces holds rows (a quiet hour
     * replaces an empty or missing partition with nothing, as it should), and fails otherwise, since replacing loaded
     * rows with nothing must be asked for. Rerunning the same window cannot change that, so the failure says how to do
     * it on purpose.
     *
     * @param run  the run as {@link #decide} left it
     * @param held destination partition spec ({@code ds=20221122}, empty for a whole table) -> rows it holds now;
     *             partitions without rows may be left out
     */
    public static Decision guard(RunState run, Map<String, Long> held) {
        Map<String, Long> loaded = new LinkedHashMap<>();
        held.forEach((spec, n) -> {
            if (n != null && n > 0) loaded.put(spec, n);
        });
        if (loaded.isEmpty()) return new Decision(Step.COMMIT, run, List.of(), null);
        String what;
        if (loaded.size() == 1) {
            Map.Entry<String, Long> e = loaded.entrySet().iterator().next();
            what = (e.getKey().isEmpty() ? "table " + run.table() : "partition " + e.getKey() + " of " + run.table())
                    + ", which holds " + rows(e.getValue());
        } else {
            List<String> each = new ArrayList<>();
            loaded.forEach((spec, n) -> each.add(spec + " (" + rows(n) + ")"));
            what = "partitions " + String.join(", ", each) + " of " + run.table();
        }
        return new Decision(Step.FAIL, run, List.of(), "the run brings no rows and would empty " + what
                + "; nothing was changed. A window that read nothing by mistake must not wipe loaded rows: to empty "
                + (loaded.size() == 1 ? "it" : "them") + " on purpose, request the run with \"allowEmpty\": true");
    }

    private static String rows(long n) {
        return n + (n == 1 ? " row" : " rows");
    }

    /** The state after the destination refused rows of these rows partitions (one entry per row). */
    public static RunState refused(RunState run, Collection<Integer> rowsPartitions) {
        if (rowsPartitions.isEmpty()) return run;
        Map<Integer, RowsPartition> parts = new TreeMap<>(run.partitions());
        for (int rp : rowsPartitions) {
            RowsPartition p = parts.get(rp);
            if (p == null) throw new IllegalArgumentException("no rows of rows partition " + rp + " were staged");
            parts.put(rp, new RowsPartition(p.nextOffset(), p.staged() - 1, p.rejected() + 1, p.announced()));
        }
        return run.withPartitions(parts);
    }
}
