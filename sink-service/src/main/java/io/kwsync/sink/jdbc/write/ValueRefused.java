package io.kwsync.sink.jdbc.write;

/**
 * A coercion rule broken by a value; {@link ColumnWriter} turns it into a {@link CoercionException} naming the column
 * and the value. Cheap: no stack trace, since dirty values are expected input.
 */
final class ValueRefused extends Exception {

    ValueRefused(String message) {
        super(message, null, false, false);
    }
}
