package io.kwsync.model.job;

import io.kwsync.model.Destination;

import java.util.List;
import java.util.Objects;

/**
 * A control record of a window-job run on the rows topic. After the last row of a run, ingest-service sends one
 * {@link Kind#END} marker to <em>every</em> rows partition, carrying how many rows of the run it sent to that partition;
 * it comes after those rows because a partition keeps order. The sink therefore knows a run is complete when it has
 * seen {@code rowsPartitions} END markers and staged as many rows as they announce. {@link Kind#ABORT} tells the sink
 * to throw away what it staged for a run that will not finish.
 *
 * @param replaces       the destination partitions the run replaces (one empty-spec destination for an unpartitioned
 *                       table); replaced even when the run brings no row for one of them
 * @param rowsPartitions how many markers make the run complete (the rows topic's partition count at the sender)
 * @param rowsPartition  the rows partition this marker was sent to
 * @param rows           rows of the run sent to that partition before the marker
 * @param allowEmpty     the run was requested with {@code allowEmpty}: it may replace a destination partition that holds
 *                       rows with no rows at all. Without it the sink refuses to empty a partition that holds rows
 *                       (an empty window by mistake must not wipe a loaded partition)
 * @param routed         the run's rows name their own tables (a routing template): {@code replaces} then names the
 *                       template as its table, and its partition specs are replaced in every table the run brings
 *                       rows for
 */
public record JobMarker(Kind kind, String runId, List<Destination> replaces, int rowsPartitions, int rowsPartition,
                        long rows, boolean allowEmpty, boolean routed) {

    /** A marker of a run that may not empty a partition holding rows. */
    public JobMarker(Kind kind, String runId, List<Destination> replaces, int rowsPartitions, int rowsPartition, long rows) {
        this(kind, runId, replaces, rowsPartitions, rowsPartition, rows, false, false);
    }

    /** A marker of a run that loads one table. */
    public JobMarker(Kind kind, String runId, List<Destination> replaces, int rowsPartitions, int rowsPartition, long rows,
                     boolean allowEmpty) {
        this(kind, runId, replaces, rowsPartitions, rowsPartition, rows, allowEmpty, false);
    }

    public enum Kind {
        END, ABORT
    }

    public JobMarker {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(runId, "runId");
        replaces = List.copyOf(replaces);
        if (kind == Kind.END && replaces.isEmpty()) throw new IllegalArgumentException("an END marker names what it replaces");
        if (replaces.stream().map(Destination::table).distinct().count() > 1) {
            throw new IllegalArgumentException("a run writes one table: " + replaces);
        }
        if (rowsPartitions < 1 || rowsPartition < 0 || rowsPartition >= rowsPartitions || rows < 0) {
            throw new IllegalArgumentException("bad marker counts " + rowsPartition + "/" + rowsPartitions + " rows " + rows);
        }
    }

    /** The destination table (for a routed run, the template), or null for an ABORT marker that names none. */
    public String table() {
        return replaces.isEmpty() ? null : replaces.get(0).table();
    }
}
