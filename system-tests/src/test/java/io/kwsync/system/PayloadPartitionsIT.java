package io.kwsync.system;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Partitions from the message, through both services: an event time and a region read from each JSON value decide the
 * MaxCompute partition; records whose partition field is missing, null, of the wrong type, unparsable or refused by
 * MaxCompute go to the error topic (stage DECODE) with their bytes and reason, and no partition is named after them.
 * Into a SQL table, the same values fill its partition columns, and a default partition takes the bad records.
 */
class PayloadPartitionsIT {

    static final String PROJECT = "kwsync_parts";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    /** Good records: i-th at 2020-11-17 22:00 + i hours (Shanghai), region eu_west for even i, cn-north-1 for odd. */
    static String good(int i) {
        int hour = 22 + i;
        String day = hour < 24 ? "2020-11-17" : "2020-11-18";
        return "{\"id\":" + i + ",\"name\":\"n" + i + "\",\"meta\":{\"ts\":\"" + day + " " + String.format("%02d", hour % 24)
                + ":30:00\",\"region\":\"" + (i % 2 == 0 ? "eu_west" : "cn-north-1") + "\"}}";
    }

    /** Key -> value and the reason each gets. */
    static final Map<String, String[]> BAD = new TreeMap<>(Map.of(
            "no-ts", new String[]{"{\"id\":101,\"meta\":{\"region\":\"eu_west\"}}", "the partition time field value.meta.ts is missing"},
            "null-ts", new String[]{"{\"id\":102,\"meta\":{\"ts\":null,\"region\":\"eu_west\"}}", "the partition time field value.meta.ts is null"},
            "object-ts", new String[]{"{\"id\":103,\"meta\":{\"ts\":{\"d\":1},\"region\":\"eu_west\"}}", "value.meta.ts holds an object or array, not a date-time text in the form yyyy-MM-dd HH:mm:ss"},
            "number-ts", new String[]{"{\"id\":104,\"meta\":{\"ts\":1605623400,\"region\":\"eu_west\"}}", "value.meta.ts holds the number 1605623400, not a date-time text"},
            "bad-ts", new String[]{"{\"id\":105,\"meta\":{\"ts\":\"2020-11-31 25:00:00\",\"region\":\"eu_west\"}}", "value.meta.ts holds '2020-11-31 25:00:00', which is not a date-time text"},
            "slash-region", new String[]{"{\"id\":106,\"meta\":{\"ts\":\"2020-11-17 10:00:00\",\"region\":\"eu/west\"}}", "the partition field value.meta.region (column region) holds 'eu/west', which MaxCompute refuses as a partition value"},
            "no-region", new String[]{"{\"id\":107,\"meta\":{\"ts\":\"2020-11-17 10:00:00\"}}", "the partition field value.meta.region (column region) is missing"},
            "list-region", new String[]{"{\"id\":108,\"meta\":{\"ts\":\"2020-11-17 10:00:00\",\"region\":[\"eu\"]}}", "value.meta.region (column region) holds an object or array"}));

    static Map<String, String> env(String connector, String source, String table) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_CONNECTOR_NAME", connector);
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap());
        env.put("KWSYNC_SOURCE_TOPICS", source);
        env.put("KWSYNC_DESTINATION_TABLE", table);
        env.put("KWSYNC_SINK_BATCH_MAX_AGE", "300ms");
        env.put("KWSYNC_PARTITION_COLUMNS", "ds,region");
        env.put("KWSYNC_PARTITION_FIELDS", "region=value.meta.region");
        env.put("KWSYNC_PARTITION_GRANULARITY", "day");
        env.put("KWSYNC_PARTITION_PATTERNS", "yyyyMMdd");
        env.put("KWSYNC_PARTITION_TIME_ZONE", "Asia/Shanghai");
        env.put("KWSYNC_PARTITION_TIME_FIELD", "value.meta.ts");
        env.put("KWSYNC_PARTITION_TIME_FORMAT", "yyyy-MM-dd HH:mm:ss");
        return env;
    }

    static List<ProducerRecord<byte[], byte[]>> records(String source) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) records.add(new ProducerRecord<>(source, 0, utf8("good-" + i), utf8(good(i))));
        BAD.forEach((key, v) -> records.add(new ProducerRecord<>(source, 0, utf8(key), utf8(v[0]))));
        return records;
    }

    @Test
    void anEventTimeAndARegionFromTheValueChooseTheMaxComputePartition() {
        String connector = TestKafka.unique("mc-parts");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + table + " (id BIGINT, name STRING) PARTITIONED BY (ds STRING, region STRING)");
        TestKafka.createTopic(source, 1);
        Map<String, String> env = env(connector, source, table);
        env.putAll(MaxComputeEndToEndIT.env(mc, PROJECT, connector, source, table));
        env.remove("KWSYNC_RECORD_LAYOUT"); // json-columns: JSON keys are columns
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            TestKafka.sendAll(records(source));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> mc.rowCount(PROJECT, table) >= 4);
            assertDeadLetters(connector);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> mc.rowCount(PROJECT, table) == 4);
        }
        Map<String, List<Map<String, Object>>> rows = mc.allRows(PROJECT, table);
        Map<String, Long> idsByPartition = new TreeMap<>();
        rows.forEach((spec, list) -> list.forEach(r -> idsByPartition.put(spec + "#" + r.get("id"), (Long) r.get("id"))));
        assertEquals(Map.of(
                "ds=20201117,region=eu_west#0", 0L,
                "ds=20201117,region=cn-north-1#1", 1L,
                "ds=20201118,region=eu_west#2", 2L,
                "ds=20201118,region=cn-north-1#3", 3L), idsByPartition, "each row in the partition of its own event time and region");
        assertEquals(List.of("ds=20201117,region=cn-north-1", "ds=20201117,region=eu_west", "ds=20201118,region=cn-north-1",
                "ds=20201118,region=eu_west"), mc.partitions(PROJECT, table).stream().sorted().toList(), "no partition named after garbage");
    }

    @Test
    void intoASqlTableThePartitionValuesFillItsColumnsAndADefaultPartitionTakesTheBadRecords() throws Exception {
        String connector = TestKafka.unique("sql-parts");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        String url = TestDatabases.mariadbUrl();
        TestDatabases.execute(url, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(20), ds VARCHAR(8) NOT NULL,"
                + " region VARCHAR(20) NOT NULL)");
        TestKafka.createTopic(source, 1);
        Map<String, String> env = env(connector, source, table);
        env.put("KWSYNC_PARTITION_DEFAULT", "ds=19700101,region=unknown");
        env.put("KWSYNC_JDBC_URL", url);
        env.put("KWSYNC_JDBC_USER", TestDatabases.user());
        env.put("KWSYNC_JDBC_PASSWORD_FILE", AnalyticDbEndToEndIT.passwordFile(connector).toString());
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            TestKafka.sendAll(records(source));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                    ((Number) TestDatabases.query(url, "SELECT COUNT(*) AS n FROM " + table).get(0).get("n")).intValue() == 4 + BAD.size());
        }
        Map<Long, String> placed = new TreeMap<>();
        for (Map<String, Object> r : TestDatabases.query(url, "SELECT id, ds, region FROM " + table)) {
            placed.put(((Number) r.get("id")).longValue(), r.get("ds") + "/" + r.get("region"));
        }
        Map<Long, String> expected = new TreeMap<>(Map.of(0L, "20201117/eu_west", 1L, "20201117/cn-north-1",
                2L, "20201118/eu_west", 3L, "20201118/cn-north-1"));
        for (long id = 101; id <= 108; id++) expected.put(id, "19700101/unknown");
        assertEquals(expected, placed);
        assertEquals(List.of(), TestKafka.read("connect-error-" + connector, 0, Duration.ofSeconds(2)), "nothing is dirty with a default");
    }

    /**
     * A window job with a value column: each row goes to the run's partition (ds, from the run's parameters) and the
     * region of its record; the run replaces the (ds, region) partitions it brings rows for, and leaves the others.
     */
    @Test
    void aWindowJobAddsTheRecordsRegionToItsPartitionAndReplacesOnlyThose() throws Exception {
        String connector = TestKafka.unique("job-parts");
        String source = connector + "-src";
        String table = connector.replace('-', '_');
        String url = TestDatabases.mariadbUrl();
        TestKafka.createTopicKeepingOldRecords(source, 2);
        TestDatabases.execute(url, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, amount DECIMAL(12,2),"
                + " ds VARCHAR(20) NOT NULL, region VARCHAR(20) NOT NULL)");
        TestDatabases.execute(url, "INSERT INTO " + table + " VALUES (888888, 1, '2022112210', 'eu'), (999999, 1, '2022112210', 'cn')");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // 09:00 to 09:39 Beijing time, inside the 09:00-10:00 window
            String region = i % 2 == 0 ? "eu" : "us";
            records.add(new ProducerRecord<>(source, i % 2, JobEndToEndIT.at(9, i, 0), utf8("k" + i),
                    utf8("{\"id\":" + i + ",\"amount\":" + i + ".5,\"region\":\"" + region + "\"}")));
        }
        records.add(new ProducerRecord<>(source, 0, JobEndToEndIT.at(9, 50, 0), utf8("no-region"), utf8("{\"id\":77}")));
        TestKafka.sendAll(records);
        Map<String, String> env = JobEndToEndIT.env(connector, source, table);
        env.put("KWSYNC_JDBC_URL", url);
        env.put("KWSYNC_JDBC_USER", TestDatabases.user());
        env.put("KWSYNC_JDBC_PASSWORD_FILE", AnalyticDbEndToEndIT.passwordFile(connector).toString());
        env.put("KWSYNC_PARTITION_COLUMNS", "region");
        env.put("KWSYNC_PARTITION_FIELDS", "region=value.region");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(60));
            sink.startReady(Duration.ofSeconds(60));
            String id = JobEndToEndIT.submit(ingest, connector, "20221122090000", "20221122100000", "2022112210");
            Map<String, Object> r = JobEndToEndIT.awaitFinished(ingest, connector, id);
            assertEquals(20, JobEndToEndIT.written(r, "ds=2022112210,region=eu"));
            assertEquals(20, JobEndToEndIT.written(r, "ds=2022112210,region=us"));
        }
        Map<String, List<Long>> byRegion = new TreeMap<>();
        for (Map<String, Object> row : TestDatabases.query(url, "SELECT id, ds, region FROM " + table + " ORDER BY id")) {
            assertEquals("2022112210", row.get("ds"));
            byRegion.computeIfAbsent((String) row.get("region"), k -> new ArrayList<>()).add(((Number) row.get("id")).longValue());
        }
        List<Long> even = new ArrayList<>(), odd = new ArrayList<>();
        for (long i = 0; i < 40; i++) (i % 2 == 0 ? even : odd).add(i);
        assertEquals(Map.of("cn", List.of(999999L), "eu", even, "us", odd), byRegion,
                "eu replaced (888888 gone), us added, cn untouched: the run brought no row for it");
        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read("connect-error-" + connector, 1, Duration.ofSeconds(30));
        assertEquals(1, errors.size());
        List<Header> h = new ArrayList<>();
        errors.get(0).headers().forEach(x -> h.add(new Header(x.key(), x.value())));
        assertEquals("DECODE", DeadLetter.header(h, DeadLetter.STAGE));
        assertTrue(DeadLetter.header(h, DeadLetter.REASON).contains("the partition field value.region (column region) is missing"));
    }

    /** Every bad record on the error topic once: its own bytes, stage DECODE, the reason naming the field. */
    static void assertDeadLetters(String connector) {
        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read("connect-error-" + connector, BAD.size(), Duration.ofSeconds(60));
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> e : errors) byKey.put(new String(e.key(), StandardCharsets.UTF_8), e);
        assertEquals(BAD.keySet(), byKey.keySet());
        BAD.forEach((key, v) -> {
            ConsumerRecord<byte[], byte[]> e = byKey.get(key);
            List<Header> h = new ArrayList<>();
            e.headers().forEach(x -> h.add(new Header(x.key(), x.value())));
            assertArrayEquals(utf8(v[0]), e.value(), key + ": the original bytes");
            assertEquals("DECODE", DeadLetter.header(h, DeadLetter.STAGE), key);
            String reason = DeadLetter.header(h, DeadLetter.REASON);
            assertTrue(reason.contains(v[1]), key + ": " + reason);
        });
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
