package io.kwsync.system;

import io.kwsync.model.DeadLetter;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile-input test sent to one source topic (one partition) and what each record must become: a row of the
 * destination table (found by its {@code id}) or one error-topic record (found by its source offset) with the stage
 * and a piece of the reason. {@link #check} asserts "every source record exactly once, as a row or as one error-topic
 * record"; {@link #sendGoodAndAwait} that the partition keeps flowing behind a bad record.
 */
final class HostileLedger implements AutoCloseable {

    /** What a record must become. {@code id} is null for a record that can have no row (no id, or an unusable one). */
    record Expected(long offset, Long id, String stage, String reason) {
        boolean row() {
            return stage == null;
        }
    }

    /** Counts of a check. */
    record Counts(int records, int rows, int deadLetters, int refusedBySink, int refusedByIngest) {
    }

    private final String source;
    private final String url;
    private final String table;
    private final String errorTopic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<Long, Expected> byOffset = new LinkedHashMap<>();
    private long slowestMillis;

    HostileLedger(String source, String url, String table, String errorTopic) {
        this.source = source;
        this.url = url;
        this.table = table;
        this.errorTopic = errorTopic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 240_000, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1),
                new ByteArraySerializer(), new ByteArraySerializer()); // one request in flight: see TestKafka
    }

    /** Sends one record and waits for the broker; {@code stage} null means it must become a row with this id. */
    Expected send(Long id, byte[] value, String stage, String reason) {
        try {
            long offset = producer.send(new ProducerRecord<>(source, 0, ("k" + id).getBytes(StandardCharsets.UTF_8), value))
                    .get(240, TimeUnit.SECONDS).offset();
            Expected e = new Expected(offset, id, stage, reason);
            byOffset.put(offset, e);
            return e;
        } catch (Exception ex) {
            throw new IllegalStateException("send to " + source + " failed", ex);
        }
    }

    Expected send(Long id, String json, String stage, String reason) {
        return send(id, json.getBytes(StandardCharsets.UTF_8), stage, reason);
    }

    /** Sends a good record and waits until it is a row, at most {@code flow}; returns how long it took. */
    long sendGoodAndAwait(long id, Duration flow) {
        long start = System.nanoTime();
        send(id, "{\"id\":" + id + ",\"s\":\"ok\"}", null, null);
        await().atMost(flow).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> rows(id) > 0); // a table auto-create has yet to make
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        slowestMillis = Math.max(slowestMillis, millis);
        return millis;
    }

    /** The longest a good record sent right after a bad one took to become a row. */
    long slowestMillis() {
        return slowestMillis;
    }

    long rows(long id) {
        return ((Number) TestDatabases.query(url, "SELECT COUNT(*) AS n FROM " + table + " WHERE id = " + id).get(0).get("n")).longValue();
    }

    /** Asserts every record sent exactly once, as a row or as one error-topic record with its stage and reason. */
    Counts check() {
        Map<Long, Long> rowsById = new HashMap<>();
        for (Map<String, Object> r : TestDatabases.query(url, "SELECT id, COUNT(*) AS n FROM " + table + " GROUP BY id")) {
            rowsById.put(((Number) r.get("id")).longValue(), ((Number) r.get("n")).longValue());
        }
        long expectedLetters = byOffset.values().stream().filter(e -> !e.row()).count();
        Map<Long, List<ConsumerRecord<byte[], byte[]>>> letters = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> l : TestKafka.read(errorTopic, (int) expectedLetters, Duration.ofSeconds(60))) {
            if (source.equals(header(l, DeadLetter.TOPIC))) {
                letters.computeIfAbsent(Long.parseLong(header(l, DeadLetter.OFFSET)), o -> new ArrayList<>()).add(l);
            }
        }
        List<String> wrong = new ArrayList<>();
        int sink = 0;
        int ingest = 0;
        for (Expected e : byOffset.values()) {
            List<ConsumerRecord<byte[], byte[]>> mine = letters.getOrDefault(e.offset(), List.of());
            long rows = e.id() == null ? 0 : rowsById.getOrDefault(e.id(), 0L);
            if (e.row()) {
                if (rows != 1 || !mine.isEmpty()) wrong.add(e + ": " + rows + " rows, " + mine.size() + " dead letters");
                continue;
            }
            if (rows != 0 || mine.size() != 1) {
                wrong.add(e + ": " + rows + " rows, " + mine.size() + " dead letters");
                continue;
            }
            String stage = header(mine.get(0), DeadLetter.STAGE);
            String reason = header(mine.get(0), DeadLetter.REASON);
            if (!e.stage().equals(stage) || e.reason() != null && !reason.contains(e.reason())) {
                wrong.add(e + ": dead letter of stage " + stage + " with reason " + reason);
            }
            if ("WRITE".equals(stage)) sink++;
            else ingest++;
        }
        letters.keySet().stream().filter(o -> !byOffset.containsKey(o)).forEach(o -> wrong.add("a dead letter of offset " + o + ", never sent"));
        rowsById.keySet().stream().filter(id -> byOffset.values().stream().noneMatch(e -> id.equals(e.id())))
                .forEach(id -> wrong.add("a row with id " + id + ", never sent"));
        assertEquals(List.of(), wrong, "every source record exactly once, as a row or as one error-topic record");
        int rowCount = (int) rowsById.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(rowCount + sink + ingest == byOffset.size());
        return new Counts(byOffset.size(), rowCount, sink + ingest, sink, ingest);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
