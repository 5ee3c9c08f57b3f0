package io.kwsync.sink;

/**
 * What a write did: rows inserted, rows skipped because they were already committed, rows refused (sent to the
 * error topic) and JSON keys with no matching column.
 */
public record WriteResult(int written, int duplicates, int rejected, int unknownKeys) {
    public static final WriteResult EMPTY = new WriteResult(0, 0, 0, 0);
}
