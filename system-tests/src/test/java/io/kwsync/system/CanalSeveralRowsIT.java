package io.kwsync.system;

import io.kwsync.model.DeadLetter;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Canal flat-JSON messages that list several rows (KWSYNC_VALUE_FORMAT=canal-json) through both services: into MariaDB
 * and PostgreSQL, a multi-row INSERT, an UPDATE of rows inserted just before (in the same sink batch), multi-row
 * DELETEs by the primary key, and a message with one bad row, which goes whole to the error topic; and into MariaDB while
 * the sink and ingest-service are killed (kill -9) again and again, with a sink batch row limit smaller than a message's
 * rows, finding every row of every message exactly once.
 */
class CanalSeveralRowsIT {

    static final String MARIADB = TestDatabases.mariadbUrl();
    static final String POSTGRES = TestDatabases.postgresUrl();

    /** A Canal flat message of {@code type} listing the rows (id, name), each as Canal writes values: text. */
    static String message(String type, Object... idName) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < idName.length; i += 2) {
            if (i > 0) data.append(", ");
            data.append("{\"id\": ").append(idName[i] == null ? "null" : "\"" + idName[i] + "\"").append(", \"name\": ")
                    .append(idName[i + 1] == null ? "null" : "\"" + idName[i + 1] + "\"").append('}');
        }
        return "{\"data\": [" + data + "], \"database\": \"shop\", \"table\": \"users\", \"pkNames\": [\"id\"],"
                + " \"isDdl\": false, \"type\": \"" + type + "\", \"es\": 1706696130000, \"ts\": 1706696130100,"
                + " \"sqlType\": {\"id\": -5, \"name\": 12}, \"mysqlType\": {\"id\": \"bigint\", \"name\": \"varchar(40)\"}}";
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, String json) {
        return new ProducerRecord<>(topic, partition, null, json.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> env(String connector, String url) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_CONNECTOR_NAME", connector);
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap());
        env.put("KWSYNC_KAFKA_SESSION_TIMEOUT", "6s");
        env.put("KWSYNC_VALUE_FORMAT", "canal-json");
        env.put("KWSYNC_JDBC_URL", url);
        env.put("KWSYNC_JDBC_USER", TestDatabases.user());
        env.put("KWSYNC_JDBC_PASSWORD", TestDatabases.password());
        return env;
    }

    static Map<Long, String> rows(String url, String table) {
        Map<Long, String> rows = new LinkedHashMap<>();
        TestDatabases.query(url, "SELECT id, name FROM " + table + " ORDER BY id")
                .forEach(r -> rows.put(((Number) r.get("id")).longValue(), (String) r.get("name")));
        return rows;
    }

    @Test
    void messagesOfSeveralRowsEndInTheSourceTablesStateOnBothDatabases() {
        String connector = TestKafka.unique("canal-rows");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, 1);
        for (String url : List.of(MARIADB, POSTGRES)) {
            TestDatabases.execute(url, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(40))");
        }
        Map<String, String> ingestEnv = env(connector, MARIADB);
        ingestEnv.put("KWSYNC_SOURCE_TOPICS", source);
        ingestEnv.put("KWSYNC_DESTINATION_TABLE", table);
        Map<String, String> myEnv = env(connector, MARIADB);
        myEnv.put("KWSYNC_JDBC_WRITE_MODE", "upsert");
        Map<String, String> pgEnv = env(connector + "-pg", POSTGRES);
        pgEnv.put("KWSYNC_JDBC_WRITE_MODE", "upsert");
        pgEnv.put("KWSYNC_ROWS_TOPIC", "kwsync-rows-" + connector);

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", ingestEnv);
             ServiceProcess mySink = new ServiceProcess("sink-service", connector + "-sink", myEnv);
             ServiceProcess pgSink = new ServiceProcess("sink-service", connector + "-sink-pg", pgEnv)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, mySink, pgSink);
            TestKafka.sendAll(List.of(
                    record(source, 0, message("INSERT", 1, "a", 2, "b", 3, "c")),
                    record(source, 0, message("UPDATE", 1, "a2", 2, "b2")), // rows inserted just before
                    record(source, 0, message("DELETE", 2, "b2", 3, "c")),
                    record(source, 0, message("INSERT", 4, "d", 5, "e", 6, "f", 7, "g")),
                    record(source, 0, message("DELETE", 4, "d", 6, "f")),
                    record(source, 0, message("DELETE", 5, "e", null, "no key")), // one bad row: the whole message is dirty
                    record(source, 0, message("UPDATE", 7, "g2", 3, "c3")), // 3 comes back by an upsert
                    record(source, 0, message("INSERT", 8, "last")))); // written after every change before it

            Map<Long, String> expected = new LinkedHashMap<>();
            expected.put(1L, "a2");
            expected.put(3L, "c3");
            expected.put(5L, "e");
            expected.put(7L, "g2");
            expected.put(8L, "last");
            for (String url : List.of(MARIADB, POSTGRES)) {
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertEquals(expected, rows(url, table), url));
            }
            List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read("connect-error-" + connector, 1, Duration.ofSeconds(30));
            assertEquals(1, errors.size());
            ConsumerRecord<byte[], byte[]> dirty = errors.get(0);
            assertEquals("5", header(dirty, DeadLetter.OFFSET), "the message with the bad row");
            assertTrue(header(dirty, DeadLetter.REASON).startsWith("row 2 of 2: "), header(dirty, DeadLetter.REASON));
            assertEquals(message("DELETE", 5, "e", null, "no key"), new String(dirty.value(), StandardCharsets.UTF_8),
                    "the message itself, byte for byte");
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static final int MESSAGES = 1_500;
    static final int PARTITIONS = 3;

    /** Rows of message {@code seq}: 1 to 4, with ids unique across the run. */
    static int rowsOf(long seq) {
        return 1 + (int) (seq % 4);
    }

    @Test
    void killNineWhileLoadingFindsEveryRowOfEveryMessageOnce() throws Exception {
        long seed = Long.getLong("faults.seed", System.nanoTime());
        System.out.printf("CanalSeveralRowsIT seed=%d (rerun with -Dfaults.seed=%d)%n", seed, seed);
        String connector = TestKafka.unique("canal-kill");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        TestKafka.createTopic(source, PARTITIONS);
        // no key: a row written twice would be a second row
        TestDatabases.execute(MARIADB, "CREATE TABLE " + table + " (id BIGINT NOT NULL, name VARCHAR(40))");
        Map<String, String> ingestEnv = env(connector, MARIADB);
        ingestEnv.put("KWSYNC_SOURCE_TOPICS", source);
        ingestEnv.put("KWSYNC_DESTINATION_TABLE", table);
        Map<String, String> sinkEnv = env(connector, MARIADB);
        sinkEnv.put("KWSYNC_SINK_BATCH_MAX_ROWS", "3"); // below most messages' rows: the limit falls inside a message
        long expectedRows = 0;
        long[] firstId = new long[MESSAGES];
        for (int seq = 0; seq < MESSAGES; seq++) {
            firstId[seq] = expectedRows;
            expectedRows += rowsOf(seq);
        }

        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(3);
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", ingestEnv);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", sinkEnv)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            FaultToleranceIT.Producing producing = new FaultToleranceIT.Producing(seq -> {
                List<Object> idName = new ArrayList<>();
                for (int i = 0; i < rowsOf(seq); i++) {
                    idName.add(firstId[(int) seq] + i);
                    idName.add("m" + seq + "r" + i);
                }
                return record(source, (int) (seq % PARTITIONS), message("INSERT", idName.toArray()));
            }, MESSAGES, 15, errors);
            scheduler.scheduleAtFixedRate(producing, 0, 100, TimeUnit.MILLISECONDS);
            List<FaultToleranceIT.Killer> killers = List.of(
                    new FaultToleranceIT.Killer(sink, new Random(seed), scheduler, errors, 3),
                    new FaultToleranceIT.Killer(ingest, new Random(seed + 1), scheduler, errors, 1));
            killers.forEach(FaultToleranceIT.Killer::next);
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!errors.isEmpty()) throw new AssertionError("fault loop failed", errors.peek());
                return producing.done() && killers.stream().allMatch(FaultToleranceIT.Killer::done);
            });
            ingest.awaitReady(Duration.ofSeconds(90));
            sink.awaitReady(Duration.ofSeconds(90));

            long rows = expectedRows;
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() ->
                    Delivery.caughtUp(TestKafka.bootstrap(), "kwsync-sink-" + connector, "kwsync-rows-" + connector)
                            && Delivery.caughtUp(TestKafka.bootstrap(), "connect-" + connector, source)
                            && TestDatabases.count(MARIADB, table) >= rows);
            Map<String, Object> counts = TestDatabases.query(MARIADB, "SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids,"
                    + " MIN(id) AS lo, MAX(id) AS hi FROM " + table).get(0);
            System.out.printf("CanalSeveralRowsIT kill-9: messages=%d rows=%d table=%s sink kills=%d ingest kills=%d%n",
                    MESSAGES, rows, counts, killers.get(0).kills.get(), killers.get(1).kills.get());
            assertEquals(rows, ((Number) counts.get("n")).longValue(), "no row twice, none lost");
            assertEquals(rows, ((Number) counts.get("ids")).longValue());
            assertEquals(0L, ((Number) counts.get("lo")).longValue());
            assertEquals(rows - 1, ((Number) counts.get("hi")).longValue());
            assertEquals(0, TestDatabases.count(MARIADB, table + " WHERE name NOT LIKE 'm%r%'"));
        } finally {
            scheduler.shutdownNow();
        }
    }
}
