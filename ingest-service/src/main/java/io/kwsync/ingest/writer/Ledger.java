package io.kwsync.ingest.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Kafka Writer's record of the last run it committed, written inside the run's own Kafka transaction so that it
 * exists exactly when the run's records do: the committed offset of the consumer group {@code kwsync-writer-NAME} on
 * partition 0 of the job's status topic (nothing consumes it; offsets committed in a transaction are the one piece of
 * state besides records that Kafka commits atomically with them). Its metadata holds the run, a digest of its window
 * and its counts; its offset counts the runs committed so far. A new leader reads it to tell a run that committed
 * before its replica died from one that did not.
 *
 * @param window  SHA-256 (hex) of the run's window key: topic and resolved source
 * @param records records written to the topic
 * @param dirty   dirty rows written to the error topic
 */
record Ledger(long sequence, String run, String window, long records, long dirty) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the metadata holds (offset metadata is limited to 4096 bytes by default: a digest, not the window). */
    record Metadata(String run, String window, long records, long dirty) {
    }

    static String group(String job) {
        return "kwsync-writer-" + job;
    }

    static String digest(String windowKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(windowKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    OffsetAndMetadata toOffset() {
        try {
            return new OffsetAndMetadata(sequence, JSON.writeValueAsString(new Metadata(run, window, records, dirty)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when nothing was committed yet, or the offset was not written by the Kafka Writer. */
    static Ledger fromOffset(OffsetAndMetadata o) {
        if (o == null || o.metadata() == null || o.metadata().isEmpty()) return null;
        try {
            Metadata m = JSON.readValue(o.metadata(), Metadata.class);
            return m.run() == null ? null : new Ledger(o.offset(), m.run(), m.window(), m.records(), m.dirty());
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The next run's entry. */
    static Ledger next(Ledger last, String run, String windowKey, long records, long dirty) {
        return new Ledger(last == null ? 1 : last.sequence() + 1, run, digest(windowKey), records, dirty);
    }

    boolean wrote(String windowKey) {
        return window != null && window.equals(digest(windowKey));
    }
}
