package io.kwsync.system;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Debezium change events (KWSYNC_VALUE_FORMAT=debezium-json) through both services into MariaDB and PostgreSQL:
 * creates and updates are upserts of the after-image, deletes delete by the key's primary key, a tombstone is skipped,
 * a key deleted and created again ends up present; the final table holds exactly the surviving rows.
 */
class ChangeEventsEndToEndIT {

    static String url(String db) {
        return db.equals("mariadb") ? TestDatabases.mariadbUrl() : TestDatabases.postgresUrl();
    }

    static ProducerRecord<byte[], byte[]> event(String topic, long id, String op, String before, String after) {
        String value = op == null ? null : "{\"before\":" + before + ",\"after\":" + after + ",\"op\":\"" + op
                + "\",\"ts_ms\":1700000000000,\"source\":{\"table\":\"t\"}}";
        return new ProducerRecord<>(topic, 0, ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    static String row(long id, String name) {
        return "{\"id\":" + id + ",\"name\":\"" + name + "\"}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgresql"})
    void createsUpdatesAndDeletesEndInTheSourceTablesState(String db) {
        String connector = TestKafka.unique("cdc-" + db.substring(0, 2));
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, 1);
        TestDatabases.execute(url(db), "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(40))");
        Map<String, String> env = new HashMap<>(Map.of(
                "KWSYNC_CONNECTOR_NAME", connector,
                "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap(),
                "KWSYNC_SOURCE_TOPICS", source,
                "KWSYNC_DESTINATION_TABLE", table,
                "KWSYNC_VALUE_FORMAT", "debezium-json",
                "KWSYNC_JDBC_URL", url(db),
                "KWSYNC_JDBC_USER", TestDatabases.user(),
                "KWSYNC_JDBC_PASSWORD", TestDatabases.password(),
                "KWSYNC_JDBC_WRITE_MODE", "upsert"));

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), ingest, sink);
            TestKafka.sendAll(List.of(
                    event(source, 1, "r", "null", row(1, "a")),
                    event(source, 2, "c", "null", row(2, "b")),
                    event(source, 3, "c", "null", row(3, "c")),
                    event(source, 1, "u", row(1, "a"), row(1, "a2")),
                    event(source, 2, "d", row(2, "b"), "null"),
                    event(source, 2, null, null, null), // the tombstone after a delete
                    event(source, 3, "d", row(3, "c"), "null"),
                    event(source, 3, "c", "null", row(3, "c2")),
                    event(source, 4, "c", "null", row(4, "d")),
                    event(source, 4, "d", row(4, "d"), "null"),
                    event(source, 5, "c", "null", row(5, "last")))); // written after every change before it

            Map<Long, String> expected = new LinkedHashMap<>();
            expected.put(1L, "a2");
            expected.put(3L, "c2");
            expected.put(5L, "last");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                Map<Long, String> rows = new LinkedHashMap<>();
                TestDatabases.query(url(db), "SELECT id, name FROM " + table + " ORDER BY id")
                        .forEach(r -> rows.put(((Number) r.get("id")).longValue(), (String) r.get("name")));
                assertEquals(expected, rows);
            });
        }
    }
}
