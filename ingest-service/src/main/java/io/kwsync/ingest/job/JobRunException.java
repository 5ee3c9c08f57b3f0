package io.kwsync.ingest.job;

/** A run failed. {@link #retriable()}: whether the rerun policy applies (a broker or sink problem) or not (a bad parameter). */
public class JobRunException extends RuntimeException {

    private final boolean retriable;

    public JobRunException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public JobRunException(String message, boolean retriable) {
        this(message, retriable, null);
    }

    public boolean retriable() {
        return retriable;
    }
}
