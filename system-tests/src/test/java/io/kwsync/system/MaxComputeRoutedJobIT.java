package io.kwsync.system;

import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordWriter;
import com.aliyun.odps.tunnel.TableTunnel;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.system.JobEndToEndIT.at;
import static io.kwsync.system.JobEndToEndIT.json;
import static io.kwsync.system.JobEndToEndIT.run;
import static io.kwsync.system.JobEndToEndIT.submit;
import static io.kwsync.system.RoutedJobEndToEndIT.awaitState;
import static io.kwsync.system.RoutedJobEndToEndIT.record;
import static io.kwsync.system.RoutedJobEndToEndIT.written;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A window job with routing into MaxCompute, end to end: ingest-service in job mode and sink-service in maxcompute
 * mode as real processes, the real broker, the emulator behind the real SDK. One run replaces its partition in each of
 * three tables its records route to ({@code ${value.kind}}), through one overwrite session per table; a rerun replaces
 * rather than adds; a sink killed with the first table's commit in flight finishes the other tables after a restart,
 * committing none twice.
 */
class MaxComputeRoutedJobIT {

    static final String PROJECT = "kwsync_routed_e2e";
    static final String PARTITION = "ds=2022112210";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    /** A connector with its own source topic and four tables (a, b, c get records, d none), each with an older row. */
    record Job(String connector, String source, List<String> tables, Map<String, Long> expected) {
        static Job create(String prefix) {
            String connector = TestKafka.unique(prefix);
            String base = connector.replace('-', '_');
            List<String> tables = List.of(base + "_a", base + "_b", base + "_c", base + "_d");
            TestKafka.createTopicKeepingOldRecords(connector + "-src", 3);
            for (String t : tables) {
                mc.execute(PROJECT, "CREATE TABLE " + t + " (id BIGINT, amount DECIMAL(12,2), kind STRING) PARTITIONED BY (ds STRING)");
                mc.execute(PROJECT, "ALTER TABLE " + t + " ADD PARTITION (ds='2022112210')");
                oldRow(t);
            }
            Job job = new Job(connector, connector + "-src", tables, new HashMap<>());
            job.produce();
            return job;
        }

        /** A row from before the run in the table's partition, committed through an upload session of its own. */
        private static void oldRow(String table) {
            try {
                Odps odps = new Odps(new AliyunAccount(MaxComputeEmulator.ACCESS_ID, MaxComputeEmulator.ACCESS_KEY));
                odps.setEndpoint(mc.endpoint());
                odps.setDefaultProject(PROJECT);
                TableTunnel.UploadSession s = new TableTunnel(odps).createUploadSession(PROJECT, table, new PartitionSpec(PARTITION));
                try (RecordWriter w = s.openRecordWriter(0)) {
                    Record r = s.newRecord();
                    r.setBigint(0, -1L);
                    r.set(1, BigDecimal.ZERO);
                    r.setString(2, "old");
                    w.write(r);
                }
                s.commit(new Long[]{0L});
            } catch (Exception e) {
                throw new IllegalStateException("seeding " + table, e);
            }
        }

        /** 09:00 .. 09:59:48 inside the window, interleaved on the same source partitions; then an hour after it. */
        private void produce() {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String table = tables.get(i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2);
                records.add(record(source, i % 3, at(9, 0, 0) + i * 12_000L, i, table));
                expected.merge(table, 1L, Long::sum);
            }
            for (int i = 0; i < 60; i++) records.add(record(source, i % 3, at(10, 0, 0) + i * 1_000L, 1000 + i, tables.get(0)));
            TestKafka.sendAll(records);
        }

        Map<String, String> env() {
            String template = "${value.kind}";
            Map<String, String> env = JobEndToEndIT.env(connector, source, template);
            env.keySet().removeIf(k -> k.startsWith("KWSYNC_JDBC_"));
            env.putAll(MaxComputeEndToEndIT.env(mc, PROJECT, connector, source, template));
            env.remove("KWSYNC_RECORD_LAYOUT"); // JSON values become columns
            env.put("KWSYNC_DESTINATION_TABLE_ALLOW", connector.replace('-', '_') + "_[a-d]");
            env.put("KWSYNC_JOB_RERUN_TIMES", "0");
            env.put("KWSYNC_SINK_BATCH_MAX_ROWS", "100");
            env.put("KWSYNC_SINK_BATCH_MAX_AGE", "200ms");
            return env;
        }

        /** The run's result as it must be: each of a, b, c with its rows. */
        Map<String, Long> expectedWritten() {
            Map<String, Long> w = new HashMap<>();
            expected.forEach((t, n) -> w.put(t + "/" + PARTITION, n));
            return w;
        }

        /** Rows in the partition of each table, and how many of them carry that table's kind (routed right). */
        void assertLoaded(String why) {
            for (String t : tables.subList(0, 3)) {
                List<Map<String, Object>> rows = mc.rows(PROJECT, t, PARTITION);
                assertEquals(expected.get(t), rows.size(), why + ": rows in " + t + "/" + PARTITION);
                assertEquals(expected.get(t), rows.stream().filter(r -> t.equals(r.get("kind"))).count(), why + ": " + t);
                assertEquals(expected.get(t), rows.stream().map(r -> r.get("id")).distinct().count(), why + ": each once in " + t);
            }
            assertEquals(List.of("old"), mc.rows(PROJECT, tables.get(3), PARTITION).stream().map(r -> r.get("kind")).toList(),
                    "a table the window routed nothing to keeps its rows");
        }
    }

    @Test
    void oneRunReplacesThePartitionOfEachRoutedTableAndARerunReplacesThemAgain() {
        Job job = Job.create("mc-route");
        Map<String, String> env = job.env();
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", job.connector() + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", job.connector() + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);

            String id = submit(ingest, job.connector(), "20221122090000", "20221122100000", "2022112210");
            Map<String, Object> r = awaitState(ingest, job.connector(), id);
            assertEquals("SUCCEEDED", r.get("state"), String.valueOf(r.get("error")));
            assertEquals(Map.of(job.tables().get(0) + "/" + PARTITION, 150L, job.tables().get(1) + "/" + PARTITION, 100L,
                    job.tables().get(2) + "/" + PARTITION, 50L), written(r), "the run names every table it replaced, with its rows");
            job.assertLoaded("first run");

            String rerun = (String) json(ingest.post("/api/jobs/" + job.connector() + "/runs/" + id + "/rerun", "{}").body()).get("id");
            Map<String, Object> again = awaitState(ingest, job.connector(), rerun);
            assertEquals("SUCCEEDED", again.get("state"), String.valueOf(again.get("error")));
            assertEquals(job.expectedWritten(), written(again));
            job.assertLoaded("a rerun replaces, it does not add");
        }
    }

    /**
     * kill -9 of the sink while it commits the first table: the emulator holds that commit request, the sink dies
     * waiting, then the commit takes effect (as one the service received does). The restarted sink finds the run's
     * commit begun, sees the first table's session committed, commits the other two, and reports the run.
     */
    @Test
    void aSinkKilledBetweenTheTablesCommitsFinishesEveryTableOnceAfterARestart() {
        Job job = Job.create("mc-route-kill");
        Map<String, String> env = job.env();
        Map<String, String> sinkEnv = new HashMap<>(env);
        // the killed sink's group membership must expire before the restarted one gets the rows partitions
        sinkEnv.put("MP_MESSAGING_INCOMING_ROWS_SESSION_TIMEOUT_MS", "6000");
        List<String> commits = job.tables().stream().map(t -> "POST /projects/" + PROJECT + "/tables/" + t + "?uploadid").toList();
        // each table's older row came with a commit of its own: count the run's commits above those
        java.util.function.IntFunction<Long> runCommits = i -> mc.requests().stream().filter(commits.get(i)::equals).count() - 1;
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", job.connector() + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", job.connector() + "-sink", sinkEnv)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);
            mc.holdCommits();
            try {
                String id = submit(ingest, job.connector(), "20221122090000", "20221122100000", "2022112210");
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> runCommits.apply(0) > 0);
                assertEquals(List.of("old"), mc.rows(PROJECT, job.tables().get(0), PARTITION).stream().map(r -> r.get("kind")).toList(),
                        "nothing visible before the commit");
                sink.kill();
                assertEquals("LOADING", run(ingest, job.connector(), id).get("state"));
                assertEquals(List.of(0L, 0L), List.of(runCommits.apply(1), runCommits.apply(2)), "the other tables wait for the first");
                mc.releaseCommits();
                await().atMost(Duration.ofSeconds(10)).until(() -> mc.rows(PROJECT, job.tables().get(0), PARTITION).size() == 150);
                assertEquals(1, mc.rows(PROJECT, job.tables().get(1), PARTITION).size(), "the second table keeps its older row");

                sink.startReady(Duration.ofSeconds(90));
                Map<String, Object> r = awaitState(ingest, job.connector(), id);
                assertEquals("SUCCEEDED", r.get("state"), String.valueOf(r.get("error")));
                assertEquals(job.expectedWritten(), written(r));
                job.assertLoaded("after the restart");
                for (int i = 0; i < 3; i++) {
                    assertEquals(1, runCommits.apply(i), "each table's session committed once: " + job.tables().get(i));
                }
                assertEquals(0, runCommits.apply(3), "a table the window routed nothing to is not committed");
            } finally {
                mc.releaseCommits();
            }
        }
    }
}
