package io.kwsync.sink.consume;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Header;
import io.kwsync.model.Origin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One error-topic record of the sink, and its smaller forms for when it does not fit. Pure: no Kafka client.
 *
 * <p>A dead letter must always find room, or its batch could never be acknowledged and its partition would stall. The
 * sink's producer takes records as large as the internal topics ({@code Topics.MAX_MESSAGE_BYTES}, 64 MiB), but a
 * refused row near that size grows as JSON (bytes become base64), and an error topic created outside kwsync may take
 * less. So the record is tried whole, then {@link #cut cut} to {@value #CUT_BYTES} bytes of key and value, then with
 * neither: every form keeps the source coordinates, the connector, the stage and the reason, and a cut one says so in
 * the header {@value #TRUNCATED} (the value's original size in bytes) and leaves out the source's own headers.
 */
final class DeadLetterRecord {

    /** Present on a cut record: the original value's size in bytes. */
    static final String TRUNCATED = DeadLetter.PREFIX + "truncated";
    static final int CUT_BYTES = 64 * 1024;
    /** Headers, lengths and batch framing beyond key and value: an upper bound, so a record judged to fit does. */
    private static final int FRAMING_BYTES = 512;

    private final String topic;
    private final Origin origin;
    private final String connector;
    private final DirtyRecordException reason;
    private final byte[] value;

    DeadLetterRecord(String topic, Origin origin, String connector, DirtyRecordException reason, byte[] value) {
        this.topic = topic;
        this.origin = origin;
        this.connector = connector;
        this.reason = reason;
        this.value = value;
    }

    Origin origin() {
        return origin;
    }

    /** The record whole: the source's key and headers, the error headers, the value. */
    ProducerRecord<byte[], byte[]> whole() {
        return record(origin.key(), value, DeadLetter.headers(origin, connector, reason), false);
    }

    /** Whether {@link #whole} fits a topic taking records of at most {@code maxBytes}. */
    boolean fits(int maxBytes) {
        long size = FRAMING_BYTES + length(origin.key()) + length(value);
        for (Header h : origin.headers()) size += h.name().length() * 4L + length(h.value()) + 10;
        return size <= maxBytes;
    }

    /** Key and value cut to {@code bytes} (0: left out), without the source's headers, marked as cut. */
    ProducerRecord<byte[], byte[]> cut(int bytes) {
        Origin bare = new Origin(origin.topic(), origin.partition(), origin.offset(), origin.timestamp(), null, List.of());
        byte[] key = bytes == 0 || origin.key() == null ? null : Arrays.copyOf(origin.key(), Math.min(bytes, origin.key().length));
        byte[] cutValue = bytes == 0 || value == null ? null : Arrays.copyOf(value, Math.min(bytes, value.length));
        return record(key, cutValue, DeadLetter.headers(bare, connector, reason), true);
    }

    private ProducerRecord<byte[], byte[]> record(byte[] key, byte[] v, List<Header> headers, boolean cut) {
        RecordHeaders out = new RecordHeaders();
        headers.forEach(h -> out.add(h.name(), h.value()));
        if (cut) out.add(TRUNCATED, Long.toString(length(value)).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, key, v, out);
    }

    private static long length(byte[] b) {
        return b == null ? 0 : b.length;
    }
}
