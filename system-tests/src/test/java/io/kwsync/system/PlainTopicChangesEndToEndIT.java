package io.kwsync.system;

import io.kwsync.model.DeadLetter;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plain JSON topics that change rows, through both services into MariaDB and PostgreSQL: Kafka tombstones deleting by
 * the record key (KWSYNC_TOMBSTONE=delete), and version-aware upserts (KWSYNC_JDBC_VERSION_COLUMN) where versions
 * arrive out of order within and across batches.
 */
class PlainTopicChangesEndToEndIT {

    static String url(String db) {
        return db.equals("mariadb") ? TestDatabases.mariadbUrl() : TestDatabases.postgresUrl();
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, 0, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    static ProducerRecord<byte[], byte[]> upsert(String topic, long id, String name) {
        return record(topic, "{\"id\":" + id + "}", "{\"id\":" + id + ",\"name\":\"" + name + "\"}");
    }

    static Map<String, String> env(String db, String connector, String source, String table) {
        return new HashMap<>(Map.of(
                "KWSYNC_CONNECTOR_NAME", connector,
                "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap(),
                "KWSYNC_SOURCE_TOPICS", source,
                "KWSYNC_DESTINATION_TABLE", table,
                "KWSYNC_JDBC_URL", url(db),
                "KWSYNC_JDBC_USER", TestDatabases.user(),
                "KWSYNC_JDBC_PASSWORD", TestDatabases.password(),
                "KWSYNC_JDBC_WRITE_MODE", "upsert"));
    }

    /** id -> the other columns of every row, joined with "@". */
    static Map<Long, String> rows(String db, String sql) {
        Map<Long, String> out = new TreeMap<>();
        for (Map<String, Object> r : TestDatabases.query(url(db), sql)) {
            List<String> rest = new ArrayList<>();
            r.forEach((k, v) -> {
                if (!k.equalsIgnoreCase("id")) rest.add(String.valueOf(v));
            });
            out.put(((Number) r.get("id")).longValue(), String.join("@", rest));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgresql"})
    void tombstonesDeleteTheRowOfTheirKeyAndKeysThatNameNoRowGoToTheErrorTopic(String db) {
        String connector = TestKafka.unique("tomb-" + db.substring(0, 2));
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, 1);
        TestDatabases.execute(url(db), "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(40))");
        Map<String, String> env = env(db, connector, source, table);
        env.put("KWSYNC_TOMBSTONE", "delete");

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            TestKafka.sendAll(List.of(
                    upsert(source, 1, "a"),
                    upsert(source, 2, "b"),
                    upsert(source, 3, "c"),
                    record(source, "{\"id\":2}", null),
                    upsert(source, 1, "a2"),
                    record(source, "{\"id\":3}", null),
                    upsert(source, 3, "c2"), // deleted, then written again
                    record(source, "{\"id\":4}", null), // no such row: nothing to delete, not an error
                    record(source, null, null), // offset 8: no key
                    record(source, "42", null), // offset 9: a key that is not a record
                    upsert(source, 5, "last")));

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertEquals(Map.of(1L, "a2", 3L, "c2", 5L, "last"), rows(db, "SELECT id, name FROM " + table)));
            Map<String, String> reasons = new TreeMap<>();
            for (ConsumerRecord<byte[], byte[]> r : TestKafka.read("connect-error-" + connector, 2, Duration.ofSeconds(30))) {
                reasons.put(header(r, DeadLetter.OFFSET), header(r, DeadLetter.REASON));
            }
            assertEquals(List.of("8", "9"), List.copyOf(reasons.keySet()));
            assertTrue(reasons.get("8").contains("without a record key"), reasons.toString());
            assertTrue(reasons.get("9").contains("must be a record whose fields are the primary-key columns"), reasons.toString());
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    static ProducerRecord<byte[], byte[]> versioned(String topic, long id, long ver, String name) {
        return record(topic, null, "{\"id\":" + id + ",\"ver\":" + ver + ",\"name\":\"" + name + "\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgresql"})
    void outOfOrderVersionsEndWithTheNewestAndTheStaleOnesAreCounted(String db) {
        String connector = TestKafka.unique("ver-" + db.substring(0, 2));
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, 1);
        TestDatabases.execute(url(db), "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, ver BIGINT, name VARCHAR(40))");
        Map<String, String> env = env(db, connector, source, table);
        env.put("KWSYNC_JDBC_VERSION_COLUMN", "ver");
        String select = "SELECT id, ver, name FROM " + table;

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            TestKafka.sendAll(List.of(versioned(source, 1, 5, "a5"), versioned(source, 1, 3, "a3"), versioned(source, 2, 2, "b2")));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertEquals(Map.of(1L, "5@a5", 2L, "2@b2"), rows(db, select)));

            // a later batch for certain: these are compared with the table's versions
            TestKafka.sendAll(List.of(versioned(source, 1, 4, "a4"), versioned(source, 1, 7, "a7"), versioned(source, 2, 1, "b1"),
                    versioned(source, 3, 1, "c1")));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertEquals(Map.of(1L, "7@a7", 2L, "2@b2", 3L, "1@c1"), rows(db, select)));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertEquals(3.0, metric(sink.get("/q/metrics"), "kwsync_rows_stale_total"), "a3, a4 and b1"));
        }
    }

    static double metric(String exposition, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }
}
