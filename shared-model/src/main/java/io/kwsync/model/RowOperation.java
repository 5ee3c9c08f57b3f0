package io.kwsync.model;

/**
 * What a {@link RowEvent} does to its destination row. The byte is the rows-topic code (format version 3); events of
 * older versions carry none and are upserts.
 */
public enum RowOperation {
    /** Insert the row, or replace the row with the same primary key (on append-only tables: append it). */
    UPSERT(0),
    /** Delete the row whose primary key the columns give; the event's columns hold at least the key columns. */
    DELETE(1);

    final byte code;

    RowOperation(int code) {
        this.code = (byte) code;
    }

    static RowOperation ofCode(byte code) {
        for (RowOperation o : values()) {
            if (o.code == code) return o;
        }
        throw new IllegalArgumentException("unknown row operation " + code);
    }
}
