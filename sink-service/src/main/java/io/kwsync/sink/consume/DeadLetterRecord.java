package io.kwsync.sink.consume;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Header;
import io.kwsync.model.Origin;
import io.kwsync.model.RecordSize;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One error-topic record of the sink, made by {@link DeadLetter#fit} (the same cut as ingest-service's) for the limit
 * it is tried with. Pure: no Kafka client.
 *
 * <p>A dead letter must always find room, or its batch could never be acknowledged and its partition would stall. The
 * sink's producer takes records as large as the internal topics ({@code Topics.MAX_MESSAGE_BYTES}, 64 MiB), but a
 * refused row near that size grows as JSON (bytes become base64), and an error topic created outside kwsync may take
 * less without the sink knowing how much. So the record is tried at the producer's limit, and each time the topic
 * refuses it as too large at a {@link #smaller} one: {@value #CUT_BYTES} bytes, then {@link DeadLetter#smallest the
 * error headers alone}. Every form keeps the source coordinates, the connector, the stage and the reason; a cut one
 * says what was cut in the header {@link DeadLetter#TRUNCATED}.
 */
final class DeadLetterRecord {

    /** The limit tried after the first refusal: room for the start of the row, enough to tell which it was. */
    static final long CUT_BYTES = 64 * 1024;

    private final String topic;
    private final Origin origin;
    private final List<Header> headers;
    private final byte[] value;

    DeadLetterRecord(String topic, Origin origin, String connector, DirtyRecordException reason, byte[] value) {
        this(topic, origin, null, connector, reason, value);
    }

    /** @param row which row of its source record this is ({@link DeadLetter#ROW}), or null for its only one */
    DeadLetterRecord(String topic, Origin origin, String row, String connector, DirtyRecordException reason, byte[] value) {
        this.topic = topic;
        this.origin = origin;
        List<Header> h = DeadLetter.headers(origin, connector, reason);
        if (row != null) h.add(new Header(DeadLetter.ROW, row.getBytes(StandardCharsets.UTF_8)));
        this.headers = h;
        this.value = value;
    }

    Origin origin() {
        return origin;
    }

    /** The record whole: the source's key and headers, the error headers, the value. */
    ProducerRecord<byte[], byte[]> whole() {
        return fitted(Long.MAX_VALUE);
    }

    /** The record as {@link DeadLetter#fit} makes it for a topic taking at most {@code maxBytes}. */
    ProducerRecord<byte[], byte[]> fitted(long maxBytes) {
        DeadLetter.Letter letter = DeadLetter.fit(origin.key(), value, headers, maxBytes);
        RecordHeaders out = new RecordHeaders();
        letter.headers().forEach(h -> out.add(h.name(), h.value()));
        return new ProducerRecord<>(topic, null, letter.key(), letter.value(), out);
    }

    /**
     * The limit to try after the topic refused this record as cut for {@code refused}: the first of {@link #CUT_BYTES}
     * and {@link DeadLetter#smallest} that makes it smaller than it was; -1 when none does.
     */
    long smaller(long refused) {
        long sent = Math.min(refused, RecordSize.of(origin.key(), value, headers));
        for (long limit : new long[]{CUT_BYTES, DeadLetter.smallest(headers)}) {
            if (limit < sent) return limit;
        }
        return -1;
    }
}
