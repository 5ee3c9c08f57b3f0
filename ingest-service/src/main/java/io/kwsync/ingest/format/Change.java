package io.kwsync.ingest.format;

import io.kwsync.model.RowOperation;

import java.util.Map;
import java.util.Objects;

/**
 * One row change read from a change-data-capture envelope: an upsert of the after-image, a delete by key columns, or
 * an event that changes no row and is skipped (a Debezium tombstone, a DDL statement), with the reason.
 *
 * @param row for an upsert the after-image, for a delete the primary-key columns, both as value trees (nested values
 *            are maps and lists, see {@link Decoded.Tree}; {@link Trees#columns} makes columns of them); null for a skip
 * @param note why an event is skipped; null otherwise
 */
public record Change(Kind kind, Map<String, Object> row, String note) {

    public enum Kind { UPSERT, DELETE, SKIP }

    public Change {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.SKIP) != (row == null)) throw new IllegalArgumentException("a skip has no row; other changes have one");
    }

    public static Change upsert(Map<String, Object> row) {
        return new Change(Kind.UPSERT, row, null);
    }

    public static Change delete(Map<String, Object> keyColumns) {
        return new Change(Kind.DELETE, keyColumns, null);
    }

    public static Change skip(String why) {
        return new Change(Kind.SKIP, null, why);
    }

    /** The rows-topic operation; not for a skip. */
    public RowOperation operation() {
        return switch (kind) {
            case UPSERT -> RowOperation.UPSERT;
            case DELETE -> RowOperation.DELETE;
            case SKIP -> throw new IllegalStateException("a skipped event has no row operation");
        };
    }
}
