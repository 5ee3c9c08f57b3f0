package io.kwsync.system;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.system.JobEndToEndIT.at;
import static io.kwsync.system.JobEndToEndIT.json;
import static io.kwsync.system.JobEndToEndIT.run;
import static io.kwsync.system.JobEndToEndIT.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A window job with routing, end to end on each SQL database: one run loads every table its records route to
 * ({@code ${value.kind}}), replacing the run's partition in each of them in one transaction; a rerun replaces rather
 * than adds; and when one of the tables cannot be replaced (dropped) the run fails and no table changes.
 */
class RoutedJobEndToEndIT {

    static String url(String db) {
        return db.equals("postgresql") ? TestDatabases.postgresUrl() : TestDatabases.mariadbUrl();
    }

    static long rows(String db, String table, String where) {
        return TestDatabases.count(url(db), table + " WHERE " + where);
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, long ts, long id, String kind) {
        return new ProducerRecord<>(topic, partition, ts, ("k" + id).getBytes(StandardCharsets.UTF_8),
                ("{\"id\":" + id + ",\"amount\":" + id + ".25,\"kind\":\"" + kind + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> awaitState(ServiceProcess ingest, String connector, String id) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String state = (String) run(ingest, connector, id).get("state");
            return "SUCCEEDED".equals(state) || "FAILED".equals(state);
        });
        return run(ingest, connector, id);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Long> written(Map<String, Object> run) {
        Map<String, Long> out = new HashMap<>();
        ((Map<String, Object>) run.get("written")).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb", "postgresql"})
    void oneRunLoadsEveryRoutedTableAtomicallyAndARerunReplaces(String db) {
        String connector = TestKafka.unique("job-route");
        String source = connector + "-src";
        String prefix = connector.replace('-', '_');
        String a = prefix + "_a", b = prefix + "_b", c = prefix + "_c", quiet = prefix + "_d";
        TestKafka.createTopicKeepingOldRecords(source, 3);
        for (String t : List.of(a, b, c, quiet)) {
            TestDatabases.execute(url(db), "CREATE TABLE " + t + " (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), "
                    + "kind VARCHAR(64), ds VARCHAR(20) NOT NULL)");
            TestDatabases.execute(url(db), "INSERT INTO " + t + " (id, amount, ds) VALUES (-1, 0, '2022112210'), (-2, 0, '2022112209')");
        }
        // 09:00 .. 09:59:48 inside the window: every table gets its own share, interleaved on the same source partitions
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, Long> expected = new HashMap<>(Map.of(a, 0L, b, 0L, c, 0L));
        for (int i = 0; i < 300; i++) {
            String table = i % 6 < 3 ? a : i % 6 < 5 ? b : c;
            records.add(record(source, i % 3, at(9, 0, 0) + i * 12_000L, i, table));
            expected.merge(table, 1L, Long::sum);
        }
        for (int i = 0; i < 60; i++) records.add(record(source, i % 3, at(10, 0, 0) + i * 1_000L, 1000 + i, a)); // after it
        TestKafka.sendAll(records);

        Map<String, String> env = JobEndToEndIT.env(connector, source, "${value.kind}");
        env.put("KWSYNC_JDBC_URL", url(db));
        env.put("KWSYNC_DESTINATION_TABLE_ALLOW", prefix + "_[a-d]");
        env.put("KWSYNC_JOB_RERUN_TIMES", "0");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ingest.startReady(Duration.ofSeconds(120));
            sink.startReady(Duration.ofSeconds(120));

            String id = submit(ingest, connector, "20221122090000", "20221122100000", "2022112210");
            Map<String, Object> r = awaitState(ingest, connector, id);
            assertEquals("SUCCEEDED", r.get("state"), String.valueOf(r.get("error")));
            assertEquals(Map.of(a + "/ds=2022112210", 150L, b + "/ds=2022112210", 100L, c + "/ds=2022112210", 50L), written(r),
                    "the run names every table it replaced, with its rows");
            for (String t : List.of(a, b, c)) {
                assertEquals(expected.get(t), rows(db, t, "ds = '2022112210'"), "SELECT count(*) of the partition of " + t);
                assertEquals(expected.get(t), rows(db, t, "ds = '2022112210' AND kind = '" + t + "'"), "each row in its own table");
                assertEquals(0, rows(db, t, "id = -1"), "the partition's previous rows are replaced in " + t);
                assertEquals(1, rows(db, t, "ds = '2022112209'"), "other partitions are untouched in " + t);
            }
            assertEquals(1, rows(db, quiet, "id = -1"), "a table the window routed nothing to keeps its rows");

            String rerun = (String) json(ingest.post("/api/jobs/" + connector + "/runs/" + id + "/rerun", "{}").body()).get("id");
            Map<String, Object> again = awaitState(ingest, connector, rerun);
            assertEquals("SUCCEEDED", again.get("state"), String.valueOf(again.get("error")));
            assertEquals(written(r), written(again));
            for (String t : List.of(a, b, c)) {
                assertEquals(expected.get(t), rows(db, t, "ds = '2022112210'"), "a rerun replaces, it does not add, in " + t);
            }

            // one table gone: the run fails and neither of the others is replaced
            for (String t : List.of(a, b)) TestDatabases.execute(url(db), "INSERT INTO " + t + " (id, amount, ds) VALUES (-5, 0, '2022112210')");
            TestDatabases.execute(url(db), "DROP TABLE " + c);
            String broken = (String) json(ingest.post("/api/jobs/" + connector + "/runs/" + id + "/rerun", "{}").body()).get("id");
            Map<String, Object> failed = awaitState(ingest, connector, broken);
            assertEquals("FAILED", failed.get("state"));
            assertTrue(String.valueOf(failed.get("error")).contains(c), String.valueOf(failed.get("error")));
            for (String t : List.of(a, b)) {
                assertEquals(1, rows(db, t, "id = -5"), "no table is replaced when one fails: " + t + " keeps its rows");
                assertEquals(expected.get(t) + 1, rows(db, t, "ds = '2022112210'"));
            }
            assertEquals(0, TestDatabases.count(url(db), "information_schema.tables WHERE table_name LIKE 'kwsync_stage_"
                    + broken.toLowerCase().replace('-', '_') + "%'"), "the failed run's staging is dropped");
        }
    }
}
