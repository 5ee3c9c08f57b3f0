package io.kwsync.sink;

/**
 * What a write did: rows inserted, rows skipped because they were already committed, rows refused (sent to the
 * error topic), JSON keys with no matching column, and stale rows: upserts not written because the table (or an
 * earlier row of the batch) held a version of their key at least as new (KWSYNC_JDBC_VERSION_COLUMN).
 */
public record WriteResult(int written, int duplicates, int rejected, int unknownKeys, int stale) {
    public static final WriteResult EMPTY = new WriteResult(0, 0, 0, 0, 0);

    /** Without stale rows. */
    public WriteResult(int written, int duplicates, int rejected, int unknownKeys) {
        this(written, duplicates, rejected, unknownKeys, 0);
    }
}
