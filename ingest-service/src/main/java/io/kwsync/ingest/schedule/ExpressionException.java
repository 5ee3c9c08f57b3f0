package io.kwsync.ingest.schedule;

/** A scheduling parameter, template, schedule or window time that cannot be parsed or evaluated; says why. */
public class ExpressionException extends IllegalArgumentException {
    public ExpressionException(String message) {
        super(message);
    }
}
