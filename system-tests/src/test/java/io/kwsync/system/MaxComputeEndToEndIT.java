package io.kwsync.system;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.testing.PrometheusText;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records on Kafka -> ingest-service (key-value layout, time partitions) -> sink-service (MaxCompute tunnels) ->
 * exactly those rows in the right partitions of the MaxCompute emulator, also when the sink is killed mid-stream.
 */
class MaxComputeEndToEndIT {

    static final String PROJECT = "kwsync_e2e";
    static MaxComputeEmulator mc;

    @BeforeAll
    static void start() {
        mc = MaxComputeEmulator.start().createProject(PROJECT);
    }

    @AfterAll
    static void stop() {
        mc.close();
    }

    static Map<String, String> env(String connector, String source, String table) {
        return env(mc, PROJECT, connector, source, table);
    }

    /** A pipeline into a project of the given emulator (key-value layout, small batches). */
    static Map<String, String> env(MaxComputeEmulator mc, String project, String connector, String source, String table) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_CONNECTOR_NAME", connector);
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap());
        env.put("KWSYNC_SOURCE_TOPICS", source);
        env.put("KWSYNC_DESTINATION_TABLE", table);
        env.put("KWSYNC_RECORD_LAYOUT", "key-value");
        env.put("KWSYNC_SINK_TYPE", "maxcompute");
        env.put("KWSYNC_SINK_BATCH_MAX_ROWS", "400");
        env.put("KWSYNC_SINK_BATCH_MAX_AGE", "300ms");
        // sessions committed every 2 s (60 s by default): rows visible soon, commits still spanning several batches
        env.put("KWSYNC_MAXCOMPUTE_COMMIT_INTERVAL", "2s");
        // a lost exchange is given up and retried after 10 s (60 s by default), well within the tests' deadlines;
        // a wait that no deadline ends still fails the test, with the services' threads printed (StallDumps)
        env.put("KWSYNC_MAXCOMPUTE_CALL_TIMEOUT", "10s");
        env.put("KWSYNC_MAXCOMPUTE_ENDPOINT", mc.endpoint());
        env.put("KWSYNC_MAXCOMPUTE_PROJECT", project);
        env.put("KWSYNC_MAXCOMPUTE_ACCESS_ID", MaxComputeEmulator.ACCESS_ID);
        env.put("KWSYNC_MAXCOMPUTE_ACCESS_KEY", MaxComputeEmulator.ACCESS_KEY);
        return env;
    }

    static Path secretFile() {
        try {
            Path f = Files.createTempFile("mc-secret", "");
            Files.writeString(f, MaxComputeEmulator.ACCESS_KEY + "\n");
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Record i: partition i % partitions, key "k" + i, timestamp start + i * step. */
    static void produce(String topic, int partitions, int n, String start, long stepMillis, IntFunction<String> value) {
        TestKafka.createTopic(topic, partitions);
        long base = Instant.parse(start).toEpochMilli();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            records.add(new ProducerRecord<>(topic, i % partitions, base + i * stepMillis, utf8("k" + i), utf8(value.apply(i))));
        }
        TestKafka.sendAll(records);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyRecordLandsOnceInItsHourEvenWhenTheSinkIsKilledMidStream() {
        String connector = TestKafka.unique("mc-e2e");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + table + " (topic STRING, `partition` BIGINT, `offset` BIGINT, key STRING, value STRING)"
                + " PARTITIONED BY (pt STRING)");
        int n = 3000;
        // 14:30 to 15:30 in the default zone GMT+08:00: the first half in pt=11-17-2020 14, the rest in 15
        produce(source, 3, n, "2020-11-17T06:30:00Z", 1200, i -> "v" + i);

        Map<String, String> env = env(connector, source, table);
        Map<String, String> sinkEnv = new HashMap<>(env);
        // the restarted sink gets the killed one's partitions after this long (the broker's minimum is 6s)
        sinkEnv.put("MP_MESSAGING_INCOMING_ROWS_SESSION_TIMEOUT_MS", "8000");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", sinkEnv)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> mc.rowCount(PROJECT, table) >= n / 4);
            sink.kill(); // kill -9 between batches or in the middle of one
            sink.startReady(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> mc.rowCount(PROJECT, table) >= n);
            // nothing more arrives later: a replay that slipped through would show up here
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).until(() -> mc.rowCount(PROJECT, table) == n);
            assertEquals(n, PrometheusText.value(ingest.get("/q/metrics"), "kwsync_rows_published_total", ""), 0.0);
        }
        Map<String, List<Map<String, Object>>> partitions = mc.allRows(PROJECT, table);
        assertEquals(Set.of("pt=11-17-2020 14", "pt=11-17-2020 15"), partitions.keySet());
        assertEquals(1500, partitions.get("pt=11-17-2020 14").size());
        assertEquals(1500, partitions.get("pt=11-17-2020 15").size());
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, List<Map<String, Object>>> p : partitions.entrySet()) {
            for (Map<String, Object> row : p.getValue()) {
                long offset = (Long) row.get("offset");
                long partition = (Long) row.get("partition");
                int i = (int) (offset * 3 + partition);
                assertTrue(seen.add(partition + "@" + offset), "duplicate " + row);
                assertEquals("k" + i, row.get("key"));
                assertEquals("v" + i, row.get("value"));
                assertEquals(source, row.get("topic"));
                assertEquals(i < 1500 ? "pt=11-17-2020 14" : "pt=11-17-2020 15", p.getKey(), "record " + i);
            }
        }
        assertEquals(n, seen.size(), "exactly N rows");
    }

    @Test
    void csvValuesGoToTheTableColumnsAndDayAndHourFollowTheConfiguredZone() {
        String connector = TestKafka.unique("mc-csv");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + table + " (id BIGINT, name STRING, amount DOUBLE, topic STRING, `offset` BIGINT)"
                + " PARTITIONED BY (ds STRING, hh STRING)");
        int n = 400;
        // 23:40 to 00:20 in New York (UTC-5 in November): both the day and the hour change
        produce(source, 2, n, "2020-11-18T04:40:00Z", 6000, i -> i + ",name " + i + "," + i + ".5");

        Map<String, String> env = env(connector, source, table);
        env.put("KWSYNC_RECORD_MODE", "value");
        env.put("KWSYNC_RECORD_FORMAT", "csv");
        env.put("KWSYNC_PARTITION_TIME_ZONE", "America/New_York");
        env.put("KWSYNC_PARTITION_COLUMNS", "ds,hh");
        env.put("KWSYNC_PARTITION_PATTERNS", "yyyyMMdd,HH");
        env.put("KWSYNC_MAXCOMPUTE_COMPRESSION", "none");
        env.put("KWSYNC_LOG_LEVEL", "DEBUG");
        env.remove("KWSYNC_MAXCOMPUTE_ACCESS_KEY");
        env.put("KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE", secretFile().toString());
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> mc.rowCount(PROJECT, table) >= n);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15)).until(() -> mc.rowCount(PROJECT, table) == n);
            assertFalse(sink.output().contains(MaxComputeEmulator.ACCESS_KEY), "the AccessKey secret never appears in the log");
            assertTrue(sink.output().contains("DEBUG"), "the log was at DEBUG");
        }
        Map<String, Integer> counts = new TreeMap<>();
        Set<Long> ids = new HashSet<>();
        mc.allRows(PROJECT, table).forEach((spec, rows) -> {
            counts.put(spec, rows.size());
            for (Map<String, Object> row : rows) {
                long id = (Long) row.get("id");
                assertTrue(ids.add(id), "duplicate id " + id);
                assertEquals("name " + id, row.get("name"));
                assertEquals(id + 0.5, (Double) row.get("amount"), 0.0);
                assertEquals(source, row.get("topic"), "topic is filled by name");
                assertEquals(id / 2, row.get("offset"));
                String expected = id < 200 ? "ds=20201117,hh=23" : id < 400 ? "ds=20201118,hh=00" : "?";
                assertEquals(expected, spec, "record " + id);
            }
        });
        assertEquals(Map.of("ds=20201117,hh=23", 200, "ds=20201118,hh=00", 200), counts);
    }
}
