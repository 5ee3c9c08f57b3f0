package io.kwsync.sink;

/**
 * A batch could not be written. {@link #retriable()} says whether trying again later can succeed; {@link #waiting()}
 * that it can only succeed once an operator fixed something outside the sink (a missing destination table), so the
 * caller keeps the batch and tries again without a deadline instead of giving up.
 */
public class SinkException extends Exception {

    private final boolean retriable;
    private final boolean waiting;

    public SinkException(String message, boolean retriable, Throwable cause) {
        this(message, retriable, false, cause);
    }

    private SinkException(String message, boolean retriable, boolean waiting, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
        this.waiting = waiting;
    }

    /** The batch waits for an operator; {@code message} says what is missing and what to do about it. */
    public static SinkException waiting(String message, Throwable cause) {
        return new SinkException(message, true, true, cause);
    }

    public boolean retriable() {
        return retriable;
    }

    public boolean waiting() {
        return waiting;
    }
}
