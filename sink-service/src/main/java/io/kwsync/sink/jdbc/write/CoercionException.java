package io.kwsync.sink.jdbc.write;

/** A value a column cannot take; the message names the column, its type and the value. Cheap: no stack trace. */
public final class CoercionException extends Exception {

    CoercionException(String message) {
        super(message, null, false, false);
    }
}
