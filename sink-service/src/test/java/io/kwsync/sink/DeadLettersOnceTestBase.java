package io.kwsync.sink;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.PrometheusText;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each refused row reaches the error topic once, however often its batch is retried (the progress update of the batch
 * is made to fail after the refusals were published, several times, by a trigger on the connector's own progress
 * table), and however large it is. Run once per database ({@link MariaDbDeadLettersOnceTest},
 * {@link PostgresDeadLettersOnceTest}); the PostgreSQL run's error topic takes at most 1 MiB per record, so its 2 MiB
 * dead letter arrives cut and marked.
 */
abstract class DeadLettersOnceTestBase {

    static final int BIG = 2 << 20;

    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.error.topic")
    String errorTopic;
    @ConfigProperty(name = "kwsync.jdbc.url", defaultValue = "unset") // unset in the other tests' services
    String url;
    @ConfigProperty(name = "test.table", defaultValue = "unset")
    String table;
    @ConfigProperty(name = "test.progress-table", defaultValue = "kwsync_offsets")
    String progressTable;

    /** Whether the error topic of this run takes the 2 MiB dead letter whole. */
    abstract boolean takesBigLetters();

    private boolean pg() {
        return url.startsWith("jdbc:postgresql:");
    }

    private void failProgressUpdates() {
        TestDatabases.execute(url, "CREATE TABLE " + table + "_fail (x INT)", "INSERT INTO " + table + "_fail VALUES (1)");
        // fires while the table above has a row
        String check = "(SELECT COUNT(*) FROM " + table + "_fail) > 0";
        if (pg()) {
            TestDatabases.execute(url, "CREATE FUNCTION " + table + "_fail() RETURNS trigger AS $$ BEGIN IF " + check
                            + " THEN RAISE EXCEPTION 'progress update refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER " + table + "_fail BEFORE UPDATE ON " + progressTable + " FOR EACH ROW EXECUTE FUNCTION " + table + "_fail()");
        } else {
            TestDatabases.execute(url, "CREATE TRIGGER " + table + "_fail BEFORE UPDATE ON " + progressTable + " FOR EACH ROW BEGIN IF "
                    + check + " THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'progress update refused by the test'; END IF; END");
        }
    }

    private void send(String source, List<Map<String, Object>> rows) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int offset = 0; offset < rows.size(); offset++) {
            RowEvent r = new RowEvent(new Origin(source, 0, offset, 1_700_000_000_000L, ("k" + offset).getBytes(StandardCharsets.UTF_8),
                    List.of()), Destination.table(table), rows.get(offset));
            records.add(new ProducerRecord<>(rowsTopic, 0, null, RowEventCodec.encode(r)));
        }
        TestKafka.sendAll(records);
    }

    private static Map<String, Object> person(long id, boolean named) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        if (named) c.put("name", "p" + id); // without, the row misses a NOT NULL column: refused
        return c;
    }

    private double metric(String name) {
        return PrometheusText.value(given().get("/q/metrics").asString(), name, "");
    }

    /** The dead letters of one source topic, by source offset. */
    private Map<String, List<ConsumerRecord<byte[], byte[]>>> letters(String source, int expected) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> l : TestKafka.read(errorTopic, expected, Duration.ofSeconds(30))) {
            if (source.equals(header(l, DeadLetter.TOPIC))) out.computeIfAbsent(header(l, DeadLetter.OFFSET), o -> new ArrayList<>()).add(l);
        }
        return out;
    }

    @Test
    void aRetriedBatchPublishesEachRefusalOnce() {
        failProgressUpdates();
        double retries = metric("kwsync_write_retries_total");
        double rejected = metric("kwsync_rows_rejected_total");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long id = 0; id < 10; id++) rows.add(person(id, id % 2 == 0));
        send("src-retry", rows);

        await().atMost(Duration.ofSeconds(90)).until(() -> metric("kwsync_write_retries_total") >= retries + 3);
        TestDatabases.execute(url, "DELETE FROM " + table + "_fail");
        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabases.count(url, table + " WHERE id < 10") == 5);

        Map<String, Integer> perOffset = new TreeMap<>();
        letters("src-retry", 5).forEach((offset, l) -> perOffset.put(offset, l.size()));
        assertEquals(Map.of("1", 1, "3", 1, "5", 1, "7", 1, "9", 1), perOffset, "one dead letter per refused row");
        assertEquals(rejected + 5, metric("kwsync_rows_rejected_total"));
    }

    @Test
    void aRefusedRowLargerThanKafkasDefaultLimitReachesTheErrorTopicAndTheRowsBehindItFlow() {
        Map<String, Object> large = person(101, true);
        large.put("note", "x".repeat(BIG)); // the column takes 32 characters
        send("src-big", List.of(person(100, true), large, person(102, true)));

        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabases.count(url, table + " WHERE id >= 100") == 2);
        Map<String, List<ConsumerRecord<byte[], byte[]>>> letters = letters("src-big", 1);
        assertEquals(List.of("1"), List.copyOf(letters.keySet()));
        assertEquals(1, letters.get("1").size());
        ConsumerRecord<byte[], byte[]> big = letters.get("1").get(0);
        assertTrue(header(big, DeadLetter.REASON).endsWith("2097152 characters, the column holds 32"), header(big, DeadLetter.REASON));
        if (takesBigLetters()) {
            assertTrue(big.value().length > BIG, "whole: " + big.value().length);
            assertNull(header(big, "kwsync.error.truncated"));
        } else {
            assertTrue(big.value().length <= 64 * 1024 && big.value().length > 60 * 1024, "cut to fit the topic: " + big.value().length);
            String mark = header(big, "kwsync.error.truncated");
            assertTrue(mark.startsWith("value cut from "), mark);
            assertTrue(Long.parseLong(mark.split(" ")[3]) > BIG, "marked with its full size: " + mark);
            assertEquals("src-big", header(big, DeadLetter.TOPIC));
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
