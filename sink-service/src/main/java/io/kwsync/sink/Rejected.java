package io.kwsync.sink;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowEvent;

/** A row the destination refused, with why. */
public record Rejected(RowEvent row, DirtyRecordException reason) {
}
