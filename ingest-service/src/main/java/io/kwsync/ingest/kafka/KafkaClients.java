package io.kwsync.ingest.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every plain Kafka client of ingest-service (the source consumers, the rows and error producers of the streaming path and of job runs,
 * the job's readers, status log and leadership, the dirty-record history, test messages, the rows-topic health
 * check) is built here from the connector's Kafka settings (bootstrap servers, TLS and SASL, session timeout), so each
 * reaches the broker the same way. Each client takes only the settings its kind knows.
 *
 * <p>Lives apart from the streaming path and the job path because both use it and neither may import the other.
 */
@Singleton
public final class KafkaClients {

    private final Map<String, Object> base;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> base) {
        this.base = Map.copyOf(base);
    }

    /**
     * The consumer group in which a connector reads its source topics, named as the managed connectors name theirs:
     * {@code connect-<connector name>}. The streaming consumers and window-job runs share it.
     */
    public static String sourceGroup(String connector) {
        return "connect-" + connector;
    }

    /**
     * A byte-array consumer that never commits on its own and fails rather than guess where to start
     * (auto.offset.reset none). It belongs to a consumer group only when {@code overrides} name one.
     */
    public KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> overrides) {
        Map<String, Object> p = pick(ConsumerConfig.configNames());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
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

    /** An admin client under its own client id. */
    public AdminClient admin(String clientId) {
        Map<String, Object> p = pick(AdminClientConfig.configNames());
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return AdminClient.create(p);
    }

    /** The settings as they are, for code that filters them itself (topic provisioning). */
    public Map<String, Object> settings() {
        return base;
    }

    private Map<String, Object> pick(Set<String> names) {
        Map<String, Object> p = new HashMap<>();
        base.forEach((k, v) -> {
            if (names.contains(k)) p.put(k, v);
        });
        return p;
    }
}
