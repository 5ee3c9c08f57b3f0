package io.kwsync.model;

/** Bytes on the rows topic that are not a row event of a format this build understands. */
public class MalformedRowEventException extends RuntimeException {
    public MalformedRowEventException(String message) {
        super(message);
    }

    public MalformedRowEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
