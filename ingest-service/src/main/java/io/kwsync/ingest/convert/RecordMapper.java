package io.kwsync.ingest.convert;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;

/**
 * Turns one source record into the row to write. Pure: no I/O, no clock, no state, so it is safe on the consumer
 * thread and trivially testable. Throws {@link DirtyRecordException} for a record that cannot become a row.
 * Returns null for a record that changes no row (a change event that is skipped: a tombstone, a DDL statement).
 */
public interface RecordMapper {
    RowEvent map(Origin origin, byte[] value);
}
