package io.kwsync.ingest.kafka;

import io.kwsync.model.Header;
import io.kwsync.model.Origin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.List;

/**
 * Conversions between Kafka's records and the model's {@link Origin} and {@link Header}s, for the records of the
 * service's consumers (the source topics, job runs, the error topic's history).
 */
public final class Origins {

    private Origins() {
    }

    public static Origin of(ConsumerRecord<byte[], byte[]> r) {
        return new Origin(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), headers(r.headers()));
    }

    /** An unmodifiable list, which {@link Origin} keeps as it is (most records have no header: no list is made). */
    public static List<Header> headers(Headers kafka) {
        if (kafka == null) return List.of();
        org.apache.kafka.common.header.Header[] all = kafka.toArray();
        if (all.length == 0) return List.of();
        Header[] out = new Header[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = new Header(all[i].key(), all[i].value());
        }
        return List.of(out);
    }

    public static Headers toKafka(List<Header> headers) {
        RecordHeaders out = new RecordHeaders();
        for (Header h : headers) {
            out.add(h.name(), h.value());
        }
        return out;
    }
}
