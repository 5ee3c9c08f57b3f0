package io.kwsync.testing;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Test access to the real local broker started by dev/up.sh (KWSYNC_TEST_BOOTSTRAP overrides the address).
 * Every test uses topics of its own, so tests never see each other's records.
 */
public final class TestKafka {

    private TestKafka() {
    }

    public static String bootstrap() {
        return System.getenv().getOrDefault("KWSYNC_TEST_BOOTSTRAP", "127.0.0.1:9092");
    }

    /** The shared broker's SASL_PLAINTEXT listener (dev/up.sh), with a PLAIN and a SCRAM-SHA-256 user. */
    public static String saslBootstrap() {
        return "127.0.0.1:" + System.getenv().getOrDefault("KWSYNC_DEV_KAFKA_SASL_PORT", "9094");
    }

    public static String saslUser() {
        return System.getenv().getOrDefault("KWSYNC_DEV_SASL_USER", "kwsync-client");
    }

    public static String saslPassword() {
        return System.getenv().getOrDefault("KWSYNC_DEV_SASL_PASSWORD", "kwsync-client-secret");
    }

    /**
     * prefix-xxxxxxxx, unique per call. The suffix is remembered, so that {@link TestTopicsCleanup} deletes the topics
     * whose names contain it when the test run ends.
     */
    public static String unique(String prefix) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        TestTopicsCleanup.remember(id);
        return prefix + "-" + id;
    }

    public static void createTopic(String topic, int partitions) {
        createTopic(topic, partitions, Map.of());
    }

    /**
     * A topic for records with timestamps far in the past (e.g. DataWorks' 2022 examples): time retention would delete
     * them, active segment included, at the broker's next retention check, so it is switched off.
     */
    public static void createTopicKeepingOldRecords(String topic, int partitions) {
        createTopic(topic, partitions, Map.of("retention.ms", "-1"));
    }

    /** With topic settings, e.g. max.message.bytes for large records. */
    public static void createTopic(String topic, int partitions, Map<String, String> configs) {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrap(), e);
        }
    }

    /** The committed offset (next record to read) per partition of {@code topic} for consumer group {@code group}. */
    public static Map<Integer, Long> committed(String group, String topic) {
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            Map<Integer, Long> out = new java.util.TreeMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, om) -> {
                        if (tp.topic().equals(topic) && om != null) out.put(tp.partition(), om.offset());
                    });
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group, e);
        }
    }

    public static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        // On a loaded 2-core machine a produce reply can take longer than the default 30 s; a request that times out
        // is retried, and a retry of an old batch the broker already appended is refused as out of sequence until
        // delivery times out. Waiting longer for the first reply avoids that spiral.
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 240_000);
        // One request in flight: a test often produces right after creating its topic, when the first request can be
        // refused (no leader yet) while the next one is taken. The broker then starts the new producer's sequence at
        // the second batch and refuses the retried first one as out of order until delivery times out (seen: 240 s).
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends and waits for every acknowledgement. */
    public static void sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : records) acks.add(producer.send(r));
            for (java.util.concurrent.Future<?> f : acks) f.get(240, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("send failed", e);
        }
    }

    /**
     * Reads a topic from the beginning until at least {@code expected} records arrived or the deadline passed, then
     * keeps reading briefly to catch records beyond the expected count (so "exactly N" can be asserted).
     */
    public static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            while (parts.isEmpty()) {
                c.partitionsFor(topic, Duration.ofSeconds(10)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
                if (parts.isEmpty() && System.currentTimeMillis() > deadline) return out;
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            long settle = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, settle)) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                if (out.size() >= expected && settle == Long.MAX_VALUE) settle = System.currentTimeMillis() + 500;
            }
        }
        return out;
    }

    /**
     * Every record of a topic a read_committed consumer sees now: the records of committed transactions (and of
     * non-transactional producers) up to the last stable offset; a transaction still open holds the read there.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            c.partitionsFor(topic, Duration.ofSeconds(10)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts); // for read_committed: the last stable offsets
            long deadline = System.currentTimeMillis() + 60_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) throw new IllegalStateException("could not read " + topic + " to " + end);
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
