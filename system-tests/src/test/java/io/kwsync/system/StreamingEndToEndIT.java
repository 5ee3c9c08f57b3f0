package io.kwsync.system;

import io.kwsync.testing.PrometheusText;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON on a source topic -> ingest-service -> rows topic -> sink-service -> exactly those rows in MariaDB. */
class StreamingEndToEndIT {

    static final String DB = TestDatabases.mariadbUrl();

    static Map<String, String> commonEnv(String connector) {
        return Map.of(
                "KWSYNC_CONNECTOR_NAME", connector,
                "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap(),
                "KWSYNC_JDBC_URL", DB,
                "KWSYNC_JDBC_USER", TestDatabases.user(),
                "KWSYNC_JDBC_PASSWORD", TestDatabases.password());
    }

    @Test
    void everyMessageBecomesExactlyOneRowWithItsValues() {
        String connector = TestKafka.unique("e2e");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, 3);
        TestDatabases.execute(DB, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(40), "
                + "amount DECIMAL(12,2), city VARCHAR(40) DEFAULT 'unknown', payload JSON, seen_at DATETIME)");
        Map<String, String> env = new java.util.HashMap<>(commonEnv(connector));
        env.put("KWSYNC_SOURCE_TOPICS", source);
        env.put("KWSYNC_DESTINATION_TABLE", table);

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), ingest, sink);

            int n = 3000;
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String json = "{\"id\":" + i + ",\"name\":\"name-" + i + "\",\"amount\":" + (i * 3) + ".50,"
                        + "\"payload\":{\"i\":" + i + ",\"even\":" + (i % 2 == 0) + "},"
                        + "\"seen_at\":\"2022-11-22 10:" + String.format("%02d", i % 60) + ":00\",\"unknown_key\":1}";
                records.add(new ProducerRecord<>(source, i % 3, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
            }
            TestKafka.sendAll(records);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> TestDatabases.count(DB, table) >= n);
            Map<String, Object> agg = TestDatabases.query(DB, "SELECT COUNT(*) AS c, COUNT(DISTINCT id) AS d, SUM(id) AS s, "
                    + "SUM(amount) AS a, MIN(city) AS minc, MAX(city) AS maxc FROM " + table).get(0);
            assertEquals(n, ((Number) agg.get("c")).intValue(), "exactly N rows");
            assertEquals(n, ((Number) agg.get("d")).intValue(), "each id once");
            assertEquals((long) n * (n - 1) / 2, ((Number) agg.get("s")).longValue());
            assertEquals(0, new java.math.BigDecimal(3L * n * (n - 1) / 2).add(new java.math.BigDecimal("0.50").multiply(
                    new java.math.BigDecimal(n))).compareTo((java.math.BigDecimal) agg.get("a")));
            assertEquals("unknown", agg.get("minc"));
            assertEquals("unknown", agg.get("maxc"));
            Map<String, Object> row = TestDatabases.query(DB, "SELECT * FROM " + table + " WHERE id = 1234").get(0);
            assertEquals("name-1234", row.get("name"));
            assertEquals("{\"i\":1234,\"even\":true}", row.get("payload"));
            assertEquals("2022-11-22T10:34", row.get("seen_at").toString());

            // counters move right after the commit the query above saw
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = sink.get("/q/metrics");
                assertEquals(n, PrometheusText.value(metrics, "kwsync_rows_written_total", ""), "sink counted every row");
                assertEquals(n, PrometheusText.value(metrics, "kwsync_keys_unknown_total", ""), "unknown keys are counted");
            });
            assertEquals(n, PrometheusText.value(ingest.get("/q/metrics"), "kwsync_records_consumed_total", "service=\"ingest\""));
        }
    }
}
