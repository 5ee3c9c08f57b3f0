package io.kwsync.system;

import io.kwsync.testing.TestDatabases;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the fault tests produce and check: JSON records whose rows carry their source coordinates (mapped from
 * {@code __partition__} and {@code __offset__} into a table without a key, so a duplicate would show), and the
 * count of losses and duplicates in the destination.
 */
final class Delivery {

    /** Mapping of the fault tests: the source coordinates and the record's own sequence number. */
    static final String MAPPING = "__partition__ => src_partition, __offset__ => src_offset, seq, note";

    private Delivery() {
    }

    static String createTable(String url, String table) {
        TestDatabases.execute(url, "CREATE TABLE " + table + " (src_partition INT NOT NULL, src_offset BIGINT NOT NULL, "
                + "seq BIGINT NOT NULL, note VARCHAR(40))");
        return table;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partitions, long seq) {
        String json = "{\"seq\":" + seq + ",\"note\":\"record " + seq + "\"}";
        return new ProducerRecord<>(topic, (int) (seq % partitions), ("k" + seq).getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /** An idempotent producer (acks=all): each record is on the topic once, at one offset. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), // see TestKafka
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Losses and duplicates of one table: rows per (source partition, offset) against the records produced. */
    record Outcome(long records, long rows, long distinct, long duplicates, long losses, long foreign) {

        boolean exact() {
            return duplicates == 0 && losses == 0 && foreign == 0 && rows == records;
        }

        @Override
        public String toString() {
            return "records=" + records + " rows=" + rows + " losses=" + losses + " duplicates=" + duplicates
                    + (foreign == 0 ? "" : " foreign=" + foreign);
        }
    }

    /**
     * Compares the table with the records on the source topic: each (partition, offset) below the partition's end
     * offset must be there exactly once. {@code foreign} counts rows with coordinates that were never produced.
     */
    static Outcome check(String url, String table, Map<Integer, Long> endOffsets) {
        long records = endOffsets.values().stream().mapToLong(Long::longValue).sum();
        long rows = TestDatabases.count(url, table);
        long distinct = 0;
        long duplicates = 0;
        long foreign = 0;
        for (Map<String, Object> g : TestDatabases.query(url, "SELECT src_partition AS p, src_offset AS o, COUNT(*) AS n FROM "
                + table + " GROUP BY src_partition, src_offset HAVING COUNT(*) > 1")) {
            duplicates += ((Number) g.get("n")).longValue() - 1;
        }
        for (Map<String, Object> g : TestDatabases.query(url, "SELECT src_partition AS p, COUNT(DISTINCT src_offset) AS d, "
                + "MAX(src_offset) AS mx, MIN(src_offset) AS mn FROM " + table + " GROUP BY src_partition")) {
            int p = ((Number) g.get("p")).intValue();
            long d = ((Number) g.get("d")).longValue();
            long end = endOffsets.getOrDefault(p, 0L);
            if (((Number) g.get("mx")).longValue() >= end || ((Number) g.get("mn")).longValue() < 0) {
                foreign += ((Number) TestDatabases.query(url, "SELECT COUNT(DISTINCT src_offset) AS f FROM " + table
                        + " WHERE src_partition = " + p + " AND (src_offset >= " + end + " OR src_offset < 0)").get(0).get("f")).longValue();
            }
            distinct += d;
        }
        long valid = distinct - foreign;
        return new Outcome(records, rows, distinct, duplicates, records - valid, foreign);
    }

    /** The end offset of each partition of a topic. */
    static Map<Integer, Long> endOffsets(String bootstrap, String topic) {
        try (AdminClient admin = admin(bootstrap)) {
            List<TopicPartition> parts = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            return admin.listOffsets(parts.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    /** Whether a consumer group has committed every partition of the topic up to its end. */
    static boolean caughtUp(String bootstrap, String group, String topic) {
        Map<Integer, Long> end = endOffsets(bootstrap, topic);
        try (AdminClient admin = admin(bootstrap)) {
            Map<Integer, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, om) -> {
                        if (tp.topic().equals(topic) && om != null) committed.put(tp.partition(), om.offset());
                    });
            return end.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.getOrDefault(e.getKey(), -1L).equals(e.getValue()));
        } catch (Exception e) {
            return false; // the broker may be restarting; the caller polls again
        }
    }

    private static AdminClient admin(String bootstrap) {
        return AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }
}
