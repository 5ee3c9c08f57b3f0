package io.kwsync.ingest.tables;

/**
 * The source table could not be read. {@link #retriable()}: whether a rerun may succeed (the database or the service
 * is unreachable, a partition is not there yet) or not (a query the database refuses, a permission, a missing table).
 */
public class SourceException extends RuntimeException {

    private final boolean retriable;

    public SourceException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
