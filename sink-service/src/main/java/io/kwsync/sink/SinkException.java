package io.kwsync.sink;

/** A batch could not be written. {@link #retriable()} says whether trying again later can succeed. */
public class SinkException extends Exception {

    private final boolean retriable;

    public SinkException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    public boolean retriable() {
        return retriable;
    }
}
