package io.kwsync.ingest;

import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second member joins the source group mid-stream and takes some partitions from the service, then leaves again.
 * When it gets them, the service has committed no offset past a record whose row is not on the rows topic; when it
 * leaves, the service reads on from there: every source record has its row, none has two (the service committed
 * what was durable before giving the partitions up), and the committed offsets reach the end of every partition.
 */
@QuarkusTest
@TestProfile(SourceRebalanceTest.Profile.class)
class SourceRebalanceTest extends IsolatedIngest {

    static final int PARTITIONS = 4;

    public static class Profile extends IsolatedIngest.Profile {
        @Override
        Map<String, String> settings() {
            return Map.of("partitions", Integer.toString(PARTITIONS));
        }
    }

    @Test
    void aMemberJoiningAndLeavingMidStreamLosesAndDuplicatesNothing() throws Exception {
        String group = "connect-" + connector;
        AtomicBoolean sending = new AtomicBoolean(true);
        Map<Integer, Long> sent = new HashMap<>();
        Thread sender = new Thread(() -> send(sending, sent), "test-source-sender");
        sender.start();
        Map<TopicPartition, Long> committedAtHandOver = new HashMap<>();
        Set<TopicPartition> taken = new CopyOnWriteArraySet<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> TestKafka.committed(group, source).values().stream()
                    .mapToLong(Long::longValue).sum() > 1_000);

            try (KafkaConsumer<byte[], byte[]> other = member(group)) {
                other.subscribe(List.of(source), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        taken.addAll(partitions);
                        other.pause(partitions); // it holds them, reads nothing and commits nothing
                    }
                });
                long deadline = System.currentTimeMillis() + 60_000;
                while (taken.isEmpty() && System.currentTimeMillis() < deadline) other.poll(Duration.ofMillis(200));
                assertFalse(taken.isEmpty(), "the second member got partitions");

                Map<Integer, Long> committed = TestKafka.committed(group, source);
                Map<Integer, Set<Long>> rows = rowOffsets(TestKafka.readCommitted(rowsTopic));
                for (TopicPartition tp : taken) {
                    long c = committed.getOrDefault(tp.partition(), 0L);
                    committedAtHandOver.put(tp, c);
                    Set<Long> have = rows.getOrDefault(tp.partition(), Set.of());
                    for (long o = 0; o < c; o++) {
                        assertTrue(have.contains(o), "committed " + c + " on " + tp + " but no row for offset " + o);
                    }
                }
                other.poll(Duration.ofMillis(200)); // stays a member a little longer while the stream goes on
            }
        } finally {
            sending.set(false);
            sender.join(30_000);
        }
        assertTrue(committedAtHandOver.values().stream().anyMatch(c -> c > 0), "the hand-over came mid-stream: " + committedAtHandOver);

        await().atMost(Duration.ofSeconds(90)).until(() -> TestKafka.committed(group, source).equals(sent));
        List<ConsumerRecord<byte[], byte[]>> records = TestKafka.readCommitted(rowsTopic);
        Map<Integer, Set<Long>> rows = rowOffsets(records);
        long total = sent.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(total, records.size(), "one row per source record, none twice");
        for (Map.Entry<Integer, Long> e : sent.entrySet()) {
            assertEquals(e.getValue(), (long) rows.getOrDefault(e.getKey(), Set.of()).size(), "rows of partition " + e.getKey());
        }
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** Source partition -> the source offsets that have a row. */
    private Map<Integer, Set<Long>> rowOffsets(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, Set<Long>> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            RowEvent row = RowEventCodec.decode(r.value());
            assertEquals(source, row.origin().topic());
            out.computeIfAbsent(row.origin().partition(), p -> new HashSet<>()).add(row.origin().offset());
        }
        return out;
    }

    /** Sends small batches to every partition until told to stop; {@code sent} is each partition's record count. */
    private void send(AtomicBoolean sending, Map<Integer, Long> sent) {
        try (KafkaProducer<byte[], byte[]> producer = TestKafka.producer()) {
            long id = 0;
            while (sending.get()) {
                List<Future<?>> acks = new ArrayList<>();
                for (int i = 0; i < 200; i++, id++) {
                    int p = (int) (id % PARTITIONS);
                    byte[] value = ("{\"id\":" + id + ",\"name\":\"n" + id + "\"}").getBytes(StandardCharsets.UTF_8);
                    acks.add(producer.send(new ProducerRecord<>(source, p, null, value)));
                }
                for (Future<?> f : acks) f.get(120, TimeUnit.SECONDS);
                synchronized (sent) {
                    for (long j = id - 200; j < id; j++) sent.merge((int) (j % PARTITIONS), 1L, Long::sum);
                }
                producer.flush();
                await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(1)).until(() -> true);
            }
        } catch (Exception e) {
            throw new IllegalStateException("sending failed", e);
        }
    }

    private static KafkaConsumer<byte[], byte[]> member(String group) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "test-second-member");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
