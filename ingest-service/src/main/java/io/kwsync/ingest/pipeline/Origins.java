package io.kwsync.ingest.pipeline;

import io.kwsync.model.Header;
import io.kwsync.model.Origin;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.util.ArrayList;
import java.util.List;

/** Conversions between Kafka's record metadata and the model's {@link Origin}. */
public final class Origins {

    private Origins() {
    }

    public static Origin of(IncomingKafkaRecordMetadata<?, ?> meta) {
        Object key = meta.getKey();
        return new Origin(meta.getTopic(), meta.getPartition(), meta.getOffset(),
                meta.getTimestamp() == null ? -1L : meta.getTimestamp().toEpochMilli(),
                key instanceof byte[] b ? b : null, headers(meta.getHeaders()));
    }

    static List<Header> headers(Headers kafka) {
        if (kafka == null) return List.of();
        List<Header> out = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : kafka) {
            out.add(new Header(h.key(), h.value()));
        }
        return out;
    }

    public static Headers toKafka(List<Header> headers) {
        RecordHeaders out = new RecordHeaders();
        for (Header h : headers) {
            out.add(h.name(), h.value());
        }
        return out;
    }
}
