package io.kwsync.model;

import java.util.Map;
import java.util.Objects;

/**
 * The canonical event between ingest-service and sink-service: one destination row, with where it came from.
 *
 * <p>Column values are limited to the types the codec carries: {@code null}, {@link Boolean}, {@link Long},
 * {@link Double}, {@link java.math.BigDecimal}, {@link String}, {@code byte[]} and {@link JsonText}. Column order is
 * kept. {@code jobId} is null for streaming rows and names the window-job run otherwise.
 *
 * <p>{@code operation} says what to do with the row: upsert it (the default, and all that rows of format versions 1
 * and 2 can say) or delete the row with the key its columns give.
 *
 * <p>{@code chainedAfter} is the source offset of the row ingest published just before this one from the same source
 * partition in the same consumer session, or -1 when this row starts a session (or is a job row). A sink writes a row
 * only when that earlier row is already written: if its send failed while this one's succeeded, this row is skipped,
 * and both come again when ingest, which never acknowledged the failed record, reads from it again.
 *
 * <p>One source record may change several rows (a Canal message listing several rows). Its rows share the origin,
 * job id and chain and travel together in one rows-topic record; {@code rowIndex} (from 0) and {@code rowCount} say
 * which of them this one is. A sink takes or skips the rows of one record together, so "offset X is written" keeps
 * meaning every row of record X is written. Most records are one row: index 0 of 1.
 */
public record RowEvent(Origin origin, Destination destination, Map<String, Object> columns, String jobId, long chainedAfter,
                       RowOperation operation, int rowIndex, int rowCount) {

    public RowEvent {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(operation, "operation");
        columns = Columns.copyOf(columns); // checks the value types early, at the producer; another row's columns are taken as they are
        checkChain(chainedAfter, origin.offset());
        if (rowCount < 1 || rowIndex < 0 || rowIndex >= rowCount) {
            throw new IllegalArgumentException("row " + rowIndex + " of " + rowCount + " rows of one record");
        }
    }

    /** The only row of its record. */
    public RowEvent(Origin origin, Destination destination, Map<String, Object> columns, String jobId, long chainedAfter,
                    RowOperation operation) {
        this(origin, destination, columns, jobId, chainedAfter, operation, 0, 1);
    }

    static void checkChain(long chainedAfter, long offset) {
        if (chainedAfter < -1 || chainedAfter >= offset && offset >= 0) {
            throw new IllegalArgumentException("chainedAfter " + chainedAfter + " is not before offset " + offset);
        }
    }

    /** An upsert. */
    public RowEvent(Origin origin, Destination destination, Map<String, Object> columns, String jobId, long chainedAfter) {
        this(origin, destination, columns, jobId, chainedAfter, RowOperation.UPSERT);
    }

    /** An upsert, not chained. */
    public RowEvent(Origin origin, Destination destination, Map<String, Object> columns, String jobId) {
        this(origin, destination, columns, jobId, -1, RowOperation.UPSERT);
    }

    /** A streaming upsert, not chained. */
    public RowEvent(Origin origin, Destination destination, Map<String, Object> columns) {
        this(origin, destination, columns, null, -1, RowOperation.UPSERT);
    }

    /** This row as the one published after the row at {@code previousOffset} of its source partition (-1: none). */
    public RowEvent chainedAfter(long previousOffset) {
        return previousOffset == chainedAfter ? this
                : new RowEvent(origin, destination, columns, jobId, previousOffset, operation, rowIndex, rowCount);
    }

    /** This row with another operation. */
    public RowEvent withOperation(RowOperation op) {
        return op == operation ? this : new RowEvent(origin, destination, columns, jobId, chainedAfter, op, rowIndex, rowCount);
    }

    /** This row as row {@code index} of the {@code count} rows of its source record. */
    public RowEvent asRow(int index, int count) {
        return index == rowIndex && count == rowCount ? this
                : new RowEvent(origin, destination, columns, jobId, chainedAfter, operation, index, count);
    }

    /**
     * Where the record whose first row is at {@code from} ends in a list of rows (exclusive): its rows are the ones
     * from there that continue it (index above 0, same source coordinates), as decoding one rows-topic record leaves
     * them, next to each other.
     */
    public static int recordEnd(java.util.List<RowEvent> rows, int from) {
        Origin o = rows.get(from).origin();
        int end = from + 1;
        while (end < rows.size()) {
            RowEvent r = rows.get(end);
            if (r.rowIndex() == 0 || r.origin().offset() != o.offset() || r.origin().partition() != o.partition()
                    || !r.origin().topic().equals(o.topic())) break;
            end++;
        }
        return end;
    }
}
