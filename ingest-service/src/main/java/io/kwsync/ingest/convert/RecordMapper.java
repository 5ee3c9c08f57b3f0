package io.kwsync.ingest.convert;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;

import java.util.List;

/**
 * Turns one source record into the row to write. Pure: no I/O, no clock, no state, so it is safe on the consumer
 * thread and trivially testable. Throws {@link DirtyRecordException} for a record that cannot become a row.
 * Returns null for a record that changes no row (a change event that is skipped: a tombstone, a DDL statement).
 */
public interface RecordMapper {
    RowEvent map(Origin origin, byte[] value);

    /**
     * Every row the record changes, in order: none, one, or several for a change event that lists several (a Canal
     * message); the rows carry their index and count ({@link RowEvent#rowIndex()}). A record with one bad row is
     * dirty as a whole: its rows are one statement at the source, and its dead letter is the record itself.
     */
    default List<RowEvent> mapAll(Origin origin, byte[] value) {
        RowEvent row = map(origin, value);
        return row == null ? List.of() : List.of(row);
    }
}
