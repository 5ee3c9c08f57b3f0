package io.kwsync.model;

/**
 * A record that cannot be turned into a row (undecodable bytes, not the expected JSON, a value that does not
 * convert). It is routed to the error topic with its original bytes; it never stops a batch of good rows.
 */
public class DirtyRecordException extends RuntimeException {

    private final Stage stage;

    public DirtyRecordException(Stage stage, String reason) {
        super(reason);
        this.stage = stage;
    }

    public DirtyRecordException(Stage stage, String reason, Throwable cause) {
        super(reason, cause);
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }

    /** Where in the pipeline the record was found dirty. */
    public enum Stage {
        /** Key or value bytes could not be decoded (type, encoding, JSON syntax). */
        DECODE,
        /** Decoded, but the column mapping could not be applied. */
        MAP,
        /** The destination refused the row's values (type coercion, constraint). */
        WRITE
    }
}
