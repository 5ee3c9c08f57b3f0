package io.kwsync.system;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.system.JobEndToEndIT.json;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka Writer's round trip through real processes: a table partition written to a topic by ingest-service in
 * writer mode, read back by ingest-service (stream mode, read_committed) and sink-service into a second table of the
 * same shape, gives the same rows, value for value (MariaDB and PostgreSQL).
 */
class KafkaWriterRoundTripIT {

    static final String TOKEN = "writer-api-test-token-0001";

    /** The writer deployment's variables: a JSON value per row, the key from the id, rows of one business date. */
    static Map<String, String> writerEnv(String connector, String topic) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_CONNECTOR_NAME", connector);
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap());
        env.put("KWSYNC_INGEST_MODE", "writer");
        env.put("KWSYNC_API_TOKEN", TOKEN);
        env.put("KWSYNC_WRITER_TOPIC", topic);
        env.put("KWSYNC_JOB_PARAMETERS", "bizdate=$bizdate");
        env.put("KWSYNC_JOB_TIME_ZONE", "GMT+08:00");
        env.put("KWSYNC_WRITER_KEY_INDEX", "0");
        return env;
    }

    static Map<String, String> jdbcSource(String url, String table) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_WRITER_SOURCE_JDBC_URL", url);
        env.put("KWSYNC_WRITER_SOURCE_JDBC_USER", TestDatabases.user());
        env.put("KWSYNC_WRITER_SOURCE_JDBC_PASSWORD_FILE", secretFile(TestDatabases.password()).toString());
        env.put("KWSYNC_WRITER_SOURCE_TABLE", table);
        env.put("KWSYNC_WRITER_SOURCE_WHERE", "ds='${bizdate}'");
        return env;
    }

    static Path secretFile(String secret) {
        try {
            Path f = Files.createTempFile("writer-secret", "");
            Files.writeString(f, secret + "\n");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The three processes of a round trip: the writer, and ingest-service (reading the writer's transactional topic
     * read_committed) and sink-service reading it back; started in that order, each ready, all killed on close.
     */
    record RoundTrip(ServiceProcess writer, ServiceProcess ingest, ServiceProcess sink) implements AutoCloseable {

        static RoundTrip start(String connector, Map<String, String> writerEnv, Map<String, String> readerEnv) {
            Map<String, String> ingestEnv = new HashMap<>(readerEnv);
            ingestEnv.put("MP_MESSAGING_INCOMING_SOURCE_ISOLATION_LEVEL", "read_committed");
            RoundTrip trip = new RoundTrip(new ServiceProcess("ingest-service", connector + "-writer", writerEnv),
                    new ServiceProcess("ingest-service", connector + "-ingest", ingestEnv),
                    new ServiceProcess("sink-service", connector + "-sink", readerEnv));
            try {
                for (ServiceProcess p : List.of(trip.writer, trip.ingest, trip.sink)) p.startReady(Duration.ofSeconds(60));
            } catch (RuntimeException | AssertionError e) {
                trip.close();
                throw e;
            }
            return trip;
        }

        @Override
        public void close() {
            writer.close();
            ingest.close();
            sink.close();
        }
    }

    /** Requests a run for a business date and waits for its end; the run's status. */
    static Map<String, Object> runFor(ServiceProcess writer, String connector, String bizdate) {
        var response = writer.post("/api/jobs/" + connector + "/runs", "{\"parameters\":{\"bizdate\":\"" + bizdate + "\"}}");
        assertEquals(202, response.status(), response.body());
        return JobEndToEndIT.awaitFinished(writer, connector, (String) json(response.body()).get("id"));
    }

    /** The rows of a query, with bytes as hex so that rows compare by value. */
    static List<Map<String, Object>> rows(String url, String sql) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : TestDatabases.query(url, sql)) {
            Map<String, Object> row = new LinkedHashMap<>();
            r.forEach((k, v) -> row.put(k.toLowerCase(), v instanceof byte[] b ? HexFormat.of().formatHex(b) : v));
            out.add(row);
        }
        return out;
    }

    @Test
    void mariaDbRowsComeBackTheSame() {
        roundTrip(TestDatabases.mariadbUrl(), "id BIGINT PRIMARY KEY, name VARCHAR(40), amount DECIMAL(12,2), ratio DOUBLE,"
                + " seen DATETIME, day DATE, active BOOLEAN, payload VARBINARY(16), note VARCHAR(20), ds VARCHAR(8)", "x'");
    }

    @Test
    void postgresRowsComeBackTheSame() {
        roundTrip(TestDatabases.postgresUrl(), "id BIGINT PRIMARY KEY, name VARCHAR(40), amount NUMERIC(12,2), ratio DOUBLE PRECISION,"
                + " seen TIMESTAMP, day DATE, active BOOLEAN, payload BYTEA, note VARCHAR(20), ds VARCHAR(8)", "'\\x");
    }

    void roundTrip(String url, String columns, String bytesPrefix) {
        String connector = TestKafka.unique("wr-rt");
        String topic = connector + "-topic";
        String src = connector.replace('-', '_') + "_src";
        String dst = connector.replace('-', '_') + "_dst";
        TestKafka.createTopic(topic, 3);
        TestDatabases.execute(url, "CREATE TABLE " + src + " (" + columns + ")", "CREATE TABLE " + dst + " (" + columns + ")");
        int n = 600;
        StringBuilder insert = new StringBuilder("INSERT INTO " + src + " VALUES ");
        for (int i = 0; i < n; i++) {
            String ds = i < 500 ? "20221121" : "20221122"; // 500 rows of the run's date, 100 of the next
            String bytes = bytesPrefix.equals("x'") ? "x'" + HexFormat.of().formatHex(new byte[]{(byte) i, 0, (byte) 0xff}) + "'"
                    : "'\\x" + HexFormat.of().formatHex(new byte[]{(byte) i, 0, (byte) 0xff}) + "'";
            insert.append(i == 0 ? "" : ",").append("(").append(i).append(", 'näme ").append(i).append(" \"q\"', ")
                    .append(i).append(".").append(i % 100 < 10 ? "0" : "").append(i % 100).append(", ").append(i / 8.0)
                    .append(", '2022-11-21 10:").append(String.format("%02d:%02d", i / 60 % 60, i % 60)).append("', '2022-11-")
                    .append(String.format("%02d", 1 + i % 28)).append("', ").append(i % 3 == 0 ? "true" : "false").append(", ")
                    .append(bytes).append(", ").append(i % 7 == 0 ? "NULL" : "'note " + i + "'").append(", '").append(ds).append("')");
        }
        TestDatabases.execute(url, insert.toString());

        Map<String, String> writerEnv = writerEnv(connector + "-w", topic);
        writerEnv.putAll(jdbcSource(url, src));
        writerEnv.put("KWSYNC_WRITER_WRITE_MODE", "json");
        writerEnv.put("KWSYNC_WRITER_COLUMN", "[{\"name\":\"id\",\"type\":\"JSON_NUMBER\"},\"name\",{\"name\":\"amount\",\"type\":\"JSON_NUMBER\"},"
                + "{\"name\":\"ratio\",\"type\":\"JSON_NUMBER\"},\"seen\",\"day\",{\"name\":\"active\",\"type\":\"JSON_BOOL\"},"
                + "{\"name\":\"payload\",\"type\":\"JSON_BASE64\"},\"note\",\"ds\"]");
        Map<String, String> readerEnv = new HashMap<>(StreamingEndToEndIT.commonEnv(connector));
        readerEnv.put("KWSYNC_JDBC_URL", url);
        readerEnv.put("KWSYNC_SOURCE_TOPICS", topic);
        readerEnv.put("KWSYNC_DESTINATION_TABLE", dst);
        readerEnv.put("KWSYNC_SINK_BATCH_MAX_AGE", "200ms");
        try (RoundTrip trip = RoundTrip.start(connector, writerEnv, readerEnv)) {
            ServiceProcess writer = trip.writer();

            Map<String, Object> run = runFor(writer, connector + "-w", "20221121");
            assertEquals(500L, JobEndToEndIT.written(run, topic), "the run says how many records it wrote");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> TestDatabases.count(url, dst) >= 500);
            List<Map<String, Object>> expected = rows(url, "SELECT * FROM " + src + " WHERE ds = '20221121' ORDER BY id");
            List<Map<String, Object>> actual = rows(url, "SELECT * FROM " + dst + " ORDER BY id");
            assertEquals(500, expected.size());
            for (int i = 0; i < expected.size(); i++) assertEquals(expected.get(i), actual.get(i), "row " + i);
            assertEquals(500, actual.size(), "nothing else arrived");
            assertTrue(writer.output().contains("Kafka Writer"), "the start log names the job kind");
        }
    }
}
