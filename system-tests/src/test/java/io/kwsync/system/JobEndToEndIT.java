package io.kwsync.system;

import com.fasterxml.jackson.core.type.TypeReference;
import io.kwsync.model.job.JobStatusTopic;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Window jobs end to end: ingest-service in job mode and sink-service as real processes, the real broker and MariaDB,
 * where the destination partition ds=... is the set of rows with that ds value.
 */
class JobEndToEndIT {

    static final String DB = TestDatabases.mariadbUrl();

    /** Epoch millis of 2022-11-22 hh:mm:ss in GMT+8. */
    static long at(int hour, int minute, int second) {
        return Instant.parse("2022-11-22T00:00:00Z").plusSeconds((hour - 8) * 3600L + minute * 60L + second).toEpochMilli();
    }

    /** A connector name with its own source topic and an orders table partitioned by the column ds. */
    record Job(String connector, String source, String table) {
        static Job create(String prefix, int partitions) {
            String connector = TestKafka.unique(prefix);
            Job job = new Job(connector, connector + "-src", connector.replace('-', '_'));
            TestKafka.createTopicKeepingOldRecords(job.source(), partitions);
            TestDatabases.execute(DB, "CREATE TABLE " + job.table() + " (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), ds VARCHAR(20) NOT NULL)");
            return job;
        }
    }

    static Map<String, String> env(String connector, String source, String table) {
        Map<String, String> env = new HashMap<>(StreamingEndToEndIT.commonEnv(connector));
        env.put("KWSYNC_SOURCE_TOPICS", source);
        env.put("KWSYNC_DESTINATION_TABLE", table);
        env.put("KWSYNC_ROWS_TOPIC_PARTITIONS", "3");
        env.put("KWSYNC_INGEST_MODE", "job");
        env.put("KWSYNC_API_TOKEN", "job-api-test-token-0001");
        env.put("KWSYNC_JOB_TIME_ZONE", "GMT+08:00");
        env.put("KWSYNC_JOB_DESTINATION_PARTITION", "ds=${partition}");
        env.put("KWSYNC_SINK_BATCH_MAX_AGE", "200ms");
        return env;
    }

    static Map<String, Object> json(String text) {
        try {
            return JobStatusTopic.JSON.readValue(text, new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(ServiceProcess ingest, String connector, String id) {
        return (Map<String, Object>) json(ingest.get("/api/jobs/" + connector + "/runs/" + id)).get("run");
    }

    static String submit(ServiceProcess ingest, String connector, String start, String end, String partition) {
        var response = ingest.post("/api/jobs/" + connector + "/runs", "{\"parameters\":{\"startTime\":\"" + start
                + "\",\"endTime\":\"" + end + "\",\"partition\":\"" + partition + "\"}}");
        assertEquals(202, response.status(), response.body());
        return (String) json(response.body()).get("id");
    }

    static Map<String, Object> awaitFinished(ServiceProcess ingest, String connector, String id) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            String state = (String) run(ingest, connector, id).get("state");
            return "SUCCEEDED".equals(state) || "FAILED".equals(state);
        });
        Map<String, Object> r = run(ingest, connector, id);
        assertEquals("SUCCEEDED", r.get("state"), String.valueOf(r.get("error")));
        return r;
    }

    @SuppressWarnings("unchecked")
    static long written(Map<String, Object> run, String partition) {
        return ((Number) ((Map<String, Object>) run.get("written")).get(partition)).longValue();
    }

    static long rows(String table, String ds) {
        return TestDatabases.count(DB, table + " WHERE ds = '" + ds + "'");
    }

    static ProducerRecord<byte[], byte[]> order(String topic, int partition, long ts, long id) {
        return new ProducerRecord<>(topic, partition, ts, ("k" + id).getBytes(StandardCharsets.UTF_8),
                ("{\"id\":" + id + ",\"amount\":" + id + ".25}").getBytes(StandardCharsets.UTF_8));
    }

    /** DataWorks' hourly example run with parameters: exactly the window's records, atomically, and a rerun replaces. */
    @Test
    void aWindowRunLoadsExactlyItsRecordsIntoItsPartitionAndARerunReplacesThem() {
        Job job = Job.create("job-e2e", 3);
        String connector = job.connector(), source = job.source(), table = job.table();
        TestDatabases.execute(DB, "INSERT INTO " + table + " VALUES (-1, 0, '2022112210'), (-2, 0, '2022112209')");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int inside = 0;
        for (int i = 0; i < 600; i++) {
            long ts = at(8, 30, 0) + i * 6_000L; // 08:30 .. 09:29:54, then on to 10:29:54
            records.add(order(source, i % 3, ts, i));
            if (ts >= at(9, 0, 0) && ts < at(10, 0, 0)) inside++;
        }
        for (int i = 0; i < 600; i++) records.add(order(source, i % 3, at(8, 30, 0) + (i + 600) * 6_000L, 1000 + i));
        TestKafka.sendAll(records);
        inside = (int) records.stream().filter(r -> r.timestamp() >= at(9, 0, 0) && r.timestamp() < at(10, 0, 0)).count();

        Map<String, String> env = env(connector, source, table);
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), ingest, sink);

            String id = submit(ingest, connector, "20221122090000", "20221122100000", "2022112210");
            Map<String, Object> r = awaitFinished(ingest, connector, id);
            assertEquals(600, inside, "the test's own arithmetic: ten records a minute for an hour");
            assertEquals(inside, rows(table, "2022112210"), "SELECT count(*) of the partition");
            assertEquals(inside, written(r, "ds=2022112210"), "the run's written count equals the partition's count");
            assertEquals(0, TestDatabases.count(DB, table + " WHERE id = -1"), "the partition's previous rows are replaced");
            assertEquals(1, rows(table, "2022112209"), "other partitions are untouched");
            Map<String, Object> minMax = TestDatabases.query(DB, "SELECT MIN(id) AS lo, MAX(id) AS hi FROM " + table
                    + " WHERE ds = '2022112210'").get(0);
            assertEquals(300L, ((Number) minMax.get("lo")).longValue(), "the first record at 09:00:00 is in");
            assertEquals(1000 + 299L, ((Number) minMax.get("hi")).longValue(), "the last record before 10:00:00 is in");

            String rerun = (String) json(ingest.post("/api/jobs/" + connector + "/runs/" + id + "/rerun", "{}").body()).get("id");
            Map<String, Object> again = awaitFinished(ingest, connector, rerun);
            assertEquals(inside, rows(table, "2022112210"), "a rerun of the window replaces, it does not add");
            assertEquals(inside, written(again, "ds=2022112210"));
            assertEquals(0, TestDatabases.query(DB, "SHOW TABLES LIKE 'kwsync_stage_" + rerun.replace('-', '_') + "%'").size(),
                    "staging is cleaned up");
        }
    }

    /**
     * kill -9 of the sink in the middle of replacing a partition: the test holds a lock on the partition's rows, so
     * the sink's transaction (every marker recorded, DELETE issued) waits; the sink is killed there. The partition keeps
     * its old rows, and the restarted sink, reading the uncommitted rows-topic records again, loads the run exactly once.
     */
    @Test
    void aSinkKilledWhileReplacingLeavesThePartitionUntouchedAndLoadsItOnceAfterARestart() throws Exception {
        Job job = Job.create("job-kill", 3);
        String connector = job.connector(), table = job.table();
        TestDatabases.execute(DB, "INSERT INTO " + table + " VALUES (-1, 0, '2022112210'), (-2, 0, '2022112210')");
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 900; i++) records.add(order(job.source(), i % 3, at(9, 0, 0) + i * 3_000L, i));
        TestKafka.sendAll(records);
        Map<String, String> env = env(connector, job.source(), table);
        env.put("KWSYNC_SINK_BATCH_MAX_ROWS", "100");
        Map<String, String> sinkEnv = new HashMap<>(env);
        // the killed sink's group membership must expire before the restarted one gets the rows partitions
        sinkEnv.put("MP_MESSAGING_INCOMING_ROWS_SESSION_TIMEOUT_MS", "6000");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", sinkEnv);
             java.sql.Connection lock = TestDatabases.connect(DB)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), ingest, sink);
            lock.setAutoCommit(false);
            try (var st = lock.createStatement()) {
                st.executeQuery("SELECT id FROM " + table + " WHERE ds = '2022112210' FOR UPDATE").close();
            }
            String id = submit(ingest, connector, "20221122090000", "20221122100000", "2022112210");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> TestDatabases.count(DB,
                    "information_schema.PROCESSLIST WHERE INFO LIKE 'DELETE FROM `" + table + "`%'") > 0);
            assertEquals(2, rows(table, "2022112210"), "nothing new is visible while the replace waits");
            sink.kill();
            lock.rollback();

            assertEquals(2, rows(table, "2022112210"), "the killed transaction left the partition as it was");
            assertEquals(0, TestDatabases.count(DB, table + " WHERE id >= 0"));
            assertEquals("LOADING", run(ingest, connector, id).get("state"));

            sink.startReady(Duration.ofSeconds(60));
            Map<String, Object> r = awaitFinished(ingest, connector, id);
            assertEquals(900, rows(table, "2022112210"));
            assertEquals(900, TestDatabases.count(DB, "(SELECT DISTINCT id FROM " + table + ") AS d"), "each record once");
            assertEquals(900, written(r, "ds=2022112210"));
        }
    }

    /**
     * Records that arrive after their window was loaded are lost to a window job (as DataWorks warns). In previous-run
     * mode the next run starts where the previous one ended, so they are loaded, into the documented late partition.
     * Two ingest replicas: one leads; runs asked of the other are executed by the leader; when the leader is killed the
     * other takes over.
     */
    @Test
    @SuppressWarnings("unchecked")
    void inPreviousRunModeLateRecordsAreLoadedIntoTheLatePartitionAndLeadershipMovesWhenTheLeaderDies() {
        Job job = Job.create("job-late", 2);
        String connector = job.connector(), source = job.source(), table = job.table();
        Map<String, String> env = env(connector, source, table);
        env.put("KWSYNC_JOB_START", "previous-run");
        env.put("KWSYNC_JOB_LATE_PARTITION", "ds=${partition}_late");

        try (ServiceProcess a = new ServiceProcess("ingest-service", connector + "-ingest-a", env);
             ServiceProcess b = new ServiceProcess("ingest-service", connector + "-ingest-b", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), a, b, sink);
            await().atMost(Duration.ofSeconds(60)).until(() -> leader(a, connector) ^ leader(b, connector));
            ServiceProcess leader = leader(a, connector) ? a : b;
            ServiceProcess follower = leader == a ? b : a;

            List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
            for (int i = 0; i < 100; i++) first.add(order(source, i % 2, at(9, 0, 0) + i * 30_000L, i)); // 09:00 .. 09:49:30
            TestKafka.sendAll(first);
            String run1 = submit(follower, connector, "20221122090000", "20221122100000", "2022112210");
            awaitFinished(follower, connector, run1);
            assertEquals(100, rows(table, "2022112210"));

            // late: timestamps of the first window, written after it was loaded; and the second window's records
            List<ProducerRecord<byte[], byte[]>> second = new ArrayList<>();
            for (int i = 0; i < 20; i++) second.add(order(source, i % 2, at(9, 55, i), 500 + i));
            for (int i = 0; i < 80; i++) second.add(order(source, i % 2, at(10, 0, 0) + i * 30_000L, 1000 + i));
            TestKafka.sendAll(second);

            leader.kill();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> leader(follower, connector));
            String run2 = submit(follower, connector, "20221122100000", "20221122110000", "2022112211");
            Map<String, Object> r2 = awaitFinished(follower, connector, run2);
            assertEquals(80, rows(table, "2022112211"));
            assertEquals(20, rows(table, "2022112211_late"), "late records are loaded, into the late partition");
            assertEquals(100, rows(table, "2022112210"), "the first window is as it was loaded");
            assertEquals(200, TestDatabases.count(DB, table), "no record lost, none twice");
            assertEquals(80, written(r2, "ds=2022112211"));
            assertEquals(20, written(r2, "ds=2022112211_late"));
            assertEquals(20, ((Number) ((Map<String, Object>) r2.get("counts")).get("late")).intValue());

            String rerun = (String) json(follower.post("/api/jobs/" + connector + "/runs/" + run2 + "/rerun", "{}").body()).get("id");
            awaitFinished(follower, connector, rerun);
            assertEquals(80, rows(table, "2022112211"), "a rerun reads the same offsets again and replaces");
            assertEquals(20, rows(table, "2022112211_late"));
            assertEquals(200, TestDatabases.count(DB, table));
        }
    }

    /**
     * Idle completion: the window's end lies in the future, so "stop at the end position" would wait for it; the
     * run stops after KWSYNC_JOB_IDLE_TIMEOUT without records instead. A partition also ends at its first record at or
     * after the end time, and nothing after it is loaded.
     */
    @Test
    @SuppressWarnings("unchecked")
    void idleCompletionStopsWhenNoRecordArrivesForTheIdleTimeout() {
        Job job = Job.create("job-idle", 2);
        String connector = job.connector(), source = job.source(), table = job.table();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 50; i++) records.add(order(source, i % 2, at(9, 0, i), i));
        Instant end = Instant.now().plus(Duration.ofMinutes(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        records.add(order(source, 1, end.plus(Duration.ofMinutes(10)).toEpochMilli(), 900)); // past the window's end
        for (int i = 0; i < 5; i++) records.add(order(source, 1, at(9, 30, i), 950 + i));          // behind it: not read
        TestKafka.sendAll(records);
        Map<String, String> env = env(connector, source, table);
        env.put("KWSYNC_JOB_COMPLETION", "idle");
        env.put("KWSYNC_JOB_IDLE_TIMEOUT", "2s");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), ingest, sink);
            String id = submit(ingest, connector, "20221122090000",
                    io.kwsync.ingest.schedule.WindowTime.format(end, java.time.ZoneId.of("GMT+08:00")), "20221122");
            Map<String, Object> r = awaitFinished(ingest, connector, id);
            assertEquals(50, rows(table, "20221122"));
            assertEquals(50, written(r, "ds=20221122"));
            List<Map<String, Object>> parts = (List<Map<String, Object>>) r.get("partitions");
            assertEquals(25, ((Number) parts.get(0).get("end")).intValue(), "partition 0 ended at the silence");
            assertEquals(25, ((Number) parts.get(1).get("end")).intValue(), "partition 1 ended at its record past the end time");
        }
    }

    static boolean leader(ServiceProcess ingest, String connector) {
        if (!ingest.isAlive()) return false;
        return Boolean.TRUE.equals(json(ingest.get("/api/jobs/" + connector)).get("leader"));
    }
}
