package io.kwsync.ingest.partition;

import io.kwsync.model.DirtyRecordException;

/**
 * A record's partition field is missing, null, of the wrong type or not readable as configured. Carries the reason a
 * dirty record gets; {@link RecordPartitioner} turns it into the configured default partition or a dirty record.
 * Without a stack trace: it is an expected outcome for bad input, not a bug.
 */
final class UnusablePartitionValue extends RuntimeException {

    private final DirtyRecordException.Stage stage;

    /** A field of the record that cannot give a partition value: found while decoding the record. */
    UnusablePartitionValue(String reason) {
        this(DirtyRecordException.Stage.DECODE, reason);
    }

    UnusablePartitionValue(DirtyRecordException.Stage stage, String reason) {
        super(reason, null, false, false);
        this.stage = stage;
    }

    DirtyRecordException.Stage stage() {
        return stage;
    }
}
