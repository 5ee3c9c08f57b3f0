package io.kwsync.system;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import io.kwsync.testing.PrometheusText;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AnalyticDB destination as a user runs it, on both protocols: JSON messages through ingest-service and
 * sink-service into a table with a primary key, written as upserts (the second version of each row wins), values
 * coerced to the column types, the password from a mounted file; binary messages and values that do not fit land on
 * the error topic with their reasons.
 */
class AnalyticDbEndToEndIT {

    static String url(String db) {
        return db.equals("mariadb") ? TestDatabases.mariadbUrl() : TestDatabases.postgresUrl();
    }

    static Path passwordFile(String name) throws IOException {
        Path file = ServiceProcess.REPO.resolve("system-tests/target/secrets/" + name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, TestDatabases.password() + "\n");
        return file;
    }

    static ProducerRecord<byte[], byte[]> message(String topic, int partition, String key, byte[] value) {
        return new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "postgresql"})
    void jsonMessagesAreUpsertedAndBinaryOnesGoToTheErrorTopic(String db) throws Exception {
        String connector = TestKafka.unique("adb-" + db.substring(0, 2));
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, 3);
        boolean pg = db.equals("postgresql");
        TestDatabases.execute(url(db), "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(40) NOT NULL,"
                + " amount DECIMAL(12,2), paid BOOLEAN, seen_at " + (pg ? "TIMESTAMP" : "DATETIME") + ", payload "
                + (pg ? "JSONB" : "JSON") + ", note VARCHAR(20) DEFAULT 'none')");
        Map<String, String> env = new HashMap<>(Map.of(
                "KWSYNC_CONNECTOR_NAME", connector,
                "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap(),
                "KWSYNC_SOURCE_TOPICS", source,
                "KWSYNC_DESTINATION_TABLE", table,
                "KWSYNC_JDBC_URL", url(db),
                "KWSYNC_JDBC_USER", TestDatabases.user(),
                "KWSYNC_JDBC_PASSWORD_FILE", passwordFile(connector).toString(),
                "KWSYNC_JDBC_WRITE_MODE", "upsert",
                "KWSYNC_JDBC_TIME_ZONE", "Asia/Shanghai"));

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), ingest, sink);

            int ids = 500;
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int version = 1; version <= 2; version++) {
                for (int i = 0; i < ids; i++) {
                    String json = "{\"id\":" + i + ",\"name\":\"v" + version + "-" + i + "\",\"amount\":\"" + i + ".50\","
                            + "\"paid\":" + (version == 2 ? "\"true\"" : "0") + ",\"seen_at\":" + (1_669_082_700_000L + i * 1000L)
                            + ",\"payload\":{\"v\":" + version + "}" + (version == 1 ? ",\"note\":\"first\"" : "") + "}";
                    records.add(message(source, i % 3, "k" + i, json.getBytes(StandardCharsets.UTF_8)));
                }
            }
            records.add(message(source, 0, "utf16", "{\"id\":9001,\"name\":\"x\"}".getBytes(StandardCharsets.UTF_16LE)));
            records.add(message(source, 1, "png", new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}));
            records.add(message(source, 2, "latin1", "{\"id\":9002,\"name\":\"Jos\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1)));
            records.add(message(source, 0, "lots", "{\"id\":9003,\"name\":\"x\",\"amount\":\"lots\"}".getBytes(StandardCharsets.UTF_8)));
            TestKafka.sendAll(records);

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                    ((Number) TestDatabases.query(url(db), "SELECT COUNT(*) AS n FROM " + table + " WHERE name LIKE 'v2-%'")
                            .get(0).get("n")).intValue() == ids);
            Map<String, Object> agg = TestDatabases.query(url(db), "SELECT COUNT(*) AS c, SUM(amount) AS a FROM " + table).get(0);
            assertEquals(ids, ((Number) agg.get("c")).intValue(), "one row per key");
            assertEquals(0, new BigDecimal(ids * (ids - 1) / 2).add(new BigDecimal("0.50").multiply(new BigDecimal(ids)))
                    .compareTo(new BigDecimal(agg.get("a").toString())));
            Map<String, Object> row = TestDatabases.query(url(db), "SELECT * FROM " + table + " WHERE id = 7").get(0);
            assertEquals("v2-7", row.get("name"));
            assertEquals(Boolean.TRUE, row.get("paid"));
            assertEquals("first", row.get("note"), "an upsert without the key keeps the column");
            assertEquals("{\"v\":2}", String.valueOf(row.get("payload")).replace(" ", ""));
            Object seen = row.get("seen_at");
            assertEquals(LocalDateTime.parse("2022-11-22T10:05:07"),
                    seen instanceof Timestamp t ? t.toLocalDateTime() : seen, "epoch millis as wall-clock time in +08:00");

            List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read("connect-error-" + connector,
                    4, Duration.ofSeconds(30));
            Map<String, List<Header>> byKey = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> e : errors) {
                List<Header> h = new ArrayList<>();
                e.headers().forEach(x -> h.add(new Header(x.key(), x.value())));
                byKey.put(new String(e.key(), StandardCharsets.UTF_8), h);
            }
            assertEquals(4, errors.size(), byKey.keySet().toString());
            for (String key : List.of("utf16", "png", "latin1")) {
                assertEquals("DECODE", DeadLetter.header(byKey.get(key), DeadLetter.STAGE), key);
                String reason = DeadLetter.header(byKey.get(key), DeadLetter.REASON);
                assertTrue(reason.startsWith("value is not UTF-8 text (binary data is not supported)"), reason);
            }
            assertEquals("WRITE", DeadLetter.header(byKey.get("lots"), DeadLetter.STAGE));
            String reason = DeadLetter.header(byKey.get("lots"), DeadLetter.REASON);
            assertTrue(reason.contains("column amount (") && reason.endsWith("cannot take string \"lots\": not a number"), reason);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String metrics = sink.get("/q/metrics");
                assertEquals(2 * ids, PrometheusText.value(metrics, "kwsync_rows_written_total", ""));
                assertEquals(1, PrometheusText.value(metrics, "kwsync_rows_rejected_total", ""));
            });
        }
    }
}
