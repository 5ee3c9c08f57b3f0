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
 */
public record RowEvent(Origin origin, Destination destination, Map<String, Object> columns, String jobId, long chainedAfter,
                       RowOperation operation) {

    public RowEvent {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(columns, "columns");
        Objects.requireNonNull(operation, "operation");
        columns = Columns.copyOf(columns); // checks the value types early, at the producer; another row's columns are taken as they are
        checkChain(chainedAfter, origin.offset());
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
                : new RowEvent(origin, destination, columns, jobId, previousOffset, operation);
    }

    /** This row with another operation. */
    public RowEvent withOperation(RowOperation op) {
        return op == operation ? this : new RowEvent(origin, destination, columns, jobId, chainedAfter, op);
    }
}
