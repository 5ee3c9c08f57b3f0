package io.kwsync.sink;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.Destination;
import io.kwsync.model.Header;
import io.kwsync.model.JsonText;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sink service end to end on the real broker: rows topic in, table rows and error records out. Run once per
 * database ({@link MariaDbSinkTest}, {@link PostgresSinkTest}), each with its own service, topics and table.
 */
abstract class JdbcSinkTestBase {

    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.error.topic")
    String errorTopic;
    @ConfigProperty(name = "test.table", defaultValue = "unset")
    String table;
    @ConfigProperty(name = "kwsync.connector.name")
    String connector;
    @ConfigProperty(name = "kwsync.jdbc.url", defaultValue = "unset") // unset in the other tests' services
    String url;

    private RowEvent row(String sourceTopic, int partition, long offset, Map<String, Object> columns) {
        return new RowEvent(new Origin(sourceTopic, partition, offset, 1_700_000_000_000L + offset,
                ("k" + offset).getBytes(StandardCharsets.UTF_8), List.of()), Destination.table(table), columns);
    }

    private Map<String, Object> person(long id) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("name", "p" + id);
        c.put("score", new BigDecimal(id + ".125"));
        c.put("tags", new JsonText("[\"t" + id + "\"]"));
        c.put("active", id % 2 == 0);
        c.put("not_a_column", "ignored");
        return c;
    }

    private void send(List<RowEvent> rows) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (RowEvent r : rows) {
            records.add(new ProducerRecord<>(rowsTopic, r.origin().partition() % 3, null, RowEventCodec.encode(r)));
        }
        TestKafka.sendAll(records);
    }

    private long count(String where) {
        return ((Number) TestDatabases.query(url,
                "SELECT COUNT(*) AS n FROM " + table + " WHERE " + where).get(0).get("n")).longValue();
    }

    @Test
    void rowsLandOnceWithTheirValuesEvenWhenTheRowsTopicRepeatsThem() {
        String src = "src-replay";
        List<RowEvent> first = new ArrayList<>();
        for (int i = 0; i < 300; i++) first.add(row(src, i % 3, i / 3, person(i)));
        send(first);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("id < 1000") == 300);

        Map<String, Object> r7 = TestDatabases.query(url,
                "SELECT * FROM " + table + " WHERE id = 7").get(0);
        assertEquals("p7", r7.get("name"));
        assertEquals(new BigDecimal("7.125"), r7.get("score"));
        assertEquals("[\"t7\"]", String.valueOf(r7.get("tags")));
        assertEquals(Boolean.FALSE, r7.get("active"));
        assertEquals("none", r7.get("note"), "a column the message does not fill gets its default");

        // ingest-service restarting from an older committed offset re-publishes rows: they must not duplicate
        List<RowEvent> replayAndMore = new ArrayList<>(first.subList(150, 300));
        for (int i = 300; i < 330; i++) replayAndMore.add(row(src, i % 3, i / 3, person(i)));
        send(replayAndMore);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("id < 1000") == 330);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("kwsync_rows_duplicate_total 150.0")));
        assertEquals(330, count("id < 1000"));
        Map<String, Object> progress = TestDatabases.query(url,
                "SELECT SUM(next_offset) AS s FROM kwsync_offsets WHERE source_topic = '" + src
                        + "' AND connector_name = '" + connector + "'").get(0);
        assertEquals(110 * 3, ((Number) progress.get("s")).longValue(), "next offset per source partition is 110");
    }

    @Test
    void rowsTheTableRefusesGoToTheErrorTopicAndTheRestIsWritten() {
        String src = "src-dirty";
        Map<String, Object> badType = person(2001);
        badType.put("id", "not-a-number");
        Map<String, Object> noName = person(2002);
        noName.remove("name");
        Map<String, Object> tooLong = person(2003);
        tooLong.put("note", "x".repeat(100));
        Map<String, Object> onlyUnknown = new LinkedHashMap<>(Map.of("foo", 1L));
        Map<String, Object> sameKey = person(2000); // only the database knows the key is taken: found row by row
        send(List.of(row(src, 0, 0, person(2000)), row(src, 0, 1, badType), row(src, 0, 2, noName),
                row(src, 0, 3, tooLong), row(src, 0, 4, onlyUnknown), row(src, 0, 5, person(2005)), row(src, 0, 6, sameKey)));

        await().atMost(Duration.ofSeconds(60)).until(() -> count("id >= 2000 AND id < 3000") == 2);
        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read(errorTopic, 5, Duration.ofSeconds(30));
        assertEquals(5, errors.size());
        Map<String, String> reasonByOffset = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> e : errors) {
            List<Header> h = new ArrayList<>();
            e.headers().forEach(x -> h.add(new Header(x.key(), x.value())));
            assertEquals(src, DeadLetter.header(h, DeadLetter.TOPIC));
            assertEquals("WRITE", DeadLetter.header(h, DeadLetter.STAGE));
            reasonByOffset.put(DeadLetter.header(h, DeadLetter.OFFSET), DeadLetter.header(h, DeadLetter.REASON));
        }
        assertTrue(reasonByOffset.get("1").matches("table " + table + ": column id \\((BIGINT|int8)\\) cannot take string"
                + " \"not-a-number\": not a number"), reasonByOffset.get("1"));
        assertTrue(reasonByOffset.get("2").contains("no value for NOT NULL column name"), reasonByOffset.get("2"));
        assertTrue(reasonByOffset.get("3").contains("column note (") && reasonByOffset.get("3").contains(
                "(32)) cannot take string \"xxxxxxxxxx"), reasonByOffset.get("3"));
        assertTrue(reasonByOffset.get("3").endsWith("100 characters, the column holds 32"), reasonByOffset.get("3"));
        assertTrue(reasonByOffset.get("4").contains("matches a column"), reasonByOffset.get("4"));
        assertTrue(reasonByOffset.get("6").startsWith("table " + table + " refused the row: "), reasonByOffset.get("6"));
        String body = new String(errors.stream().filter(e -> new String(e.key()).equals("k1")).findFirst().orElseThrow().value(),
                StandardCharsets.UTF_8);
        assertTrue(body.contains("\"id\":\"not-a-number\""), body);
    }

    @Test
    void healthAndMetricsAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("destination"));
        given().get("/q/health/live").then().statusCode(200).body(containsString("writer"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("kwsync_flush_seconds"))
                .body(containsString("kwsync_batch_rows"))
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max"));
    }
}
