package io.kwsync.ingest.job;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Plain Kafka clients for the job path and the streaming path's rows producer, built from the connector's Kafka
 * settings (bootstrap servers and any security settings), so they reach the broker exactly as the source channel does.
 */
public final class KafkaClients {

    private final Map<String, Object> base;

    public KafkaClients(Map<String, Object> base) {
        this.base = Map.copyOf(base);
    }

    KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> overrides) {
        Map<String, Object> p = pick(ConsumerConfig.configNames());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        p.putAll(overrides);
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** An idempotent producer with acks=all: a send completes once the record is durable. */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Map<String, Object> p = pick(ProducerConfig.configNames());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putAll(overrides);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    Map<String, Object> admin() {
        return base;
    }

    private Map<String, Object> pick(java.util.Set<String> names) {
        Map<String, Object> p = new HashMap<>();
        base.forEach((k, v) -> {
            if (names.contains(k)) p.put(k, v);
        });
        return p;
    }
}
