package io.kwsync.system;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.system.JobEndToEndIT.at;
import static io.kwsync.system.JobEndToEndIT.awaitFinished;
import static io.kwsync.system.JobEndToEndIT.json;
import static io.kwsync.system.JobEndToEndIT.order;
import static io.kwsync.system.JobEndToEndIT.run;
import static io.kwsync.system.JobEndToEndIT.submit;
import static io.kwsync.system.JobEndToEndIT.written;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Window jobs into MaxCompute end to end: ingest-service in job mode and sink-service in maxcompute mode as real
 * processes, the real broker, and the MaxCompute emulator behind the real SDK. A run replaces its partition through an
 * overwrite tunnel session; a rerun replaces it again; a sink killed with the commit in flight finishes the job once.
 */
class MaxComputeJobEndToEndIT {

    static final String PROJECT = "kwsync_jobs_e2e";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    /** A connector with its own source topic and an orders table partitioned by ds, in the emulator. */
    record Job(String connector, String source, String table) {
        static Job create(String prefix) {
            String connector = TestKafka.unique(prefix);
            Job job = new Job(connector, connector + "-src", connector.replace('-', '_'));
            TestKafka.createTopicKeepingOldRecords(job.source(), 3);
            mc.execute(PROJECT, "CREATE TABLE " + job.table() + " (id BIGINT, amount DECIMAL(12,2)) PARTITIONED BY (ds STRING)");
            return job;
        }

        Map<String, String> env() {
            Map<String, String> env = JobEndToEndIT.env(connector, source, table);
            env.keySet().removeIf(k -> k.startsWith("KWSYNC_JDBC_"));
            env.putAll(MaxComputeEndToEndIT.env(mc, PROJECT, connector, source, table));
            env.remove("KWSYNC_RECORD_LAYOUT"); // JSON values become columns, as in the JDBC job test
            env.put("KWSYNC_SINK_BATCH_MAX_ROWS", "100");
            env.put("KWSYNC_SINK_BATCH_MAX_AGE", "200ms");
            return env;
        }

        List<Long> ids(String ds) {
            return mc.rows(PROJECT, table, "ds=" + ds).stream().map(r -> (Long) r.get("id")).sorted().toList();
        }
    }

    /** Records 0..599 from 08:30 every 6 s, then 1000..1599 on to 10:29:54; the 09:00-10:00 window holds 300..599 and 1000..1299. */
    static void produce(Job job) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 600; i++) records.add(order(job.source(), i % 3, at(8, 30, 0) + i * 6_000L, i));
        for (int i = 0; i < 600; i++) records.add(order(job.source(), i % 3, at(8, 30, 0) + (i + 600) * 6_000L, 1000 + i));
        TestKafka.sendAll(records);
    }

    static List<Long> window() {
        List<Long> ids = new ArrayList<>();
        for (long i = 300; i < 600; i++) ids.add(i);
        for (long i = 1000; i < 1300; i++) ids.add(i);
        return ids;
    }

    @Test
    void aWindowRunReplacesItsPartitionWithExactlyItsRecordsAndARerunReplacesItAgain() {
        Job job = Job.create("mc-job");
        produce(job);
        Map<String, String> env = job.env();
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", job.connector() + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", job.connector() + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), ingest, sink);

            String id = submit(ingest, job.connector(), "20221122090000", "20221122100000", "2022112210");
            Map<String, Object> r = awaitFinished(ingest, job.connector(), id);
            assertEquals(window(), job.ids("2022112210"), "exactly the window's records, each once");
            assertEquals(600, written(r, "ds=2022112210"), "the run's written count equals the partition's count");
            assertEquals(1, mc.requests().stream().filter(q -> q.startsWith("POST") && q.contains(job.table())
                    && q.endsWith("?uploads")).count(), "one overwrite session for the run's one partition");
            Map<String, Object> row = mc.rows(PROJECT, job.table(), "ds=2022112210").get(0);
            assertEquals(0, new java.math.BigDecimal(row.get("id") + ".25").compareTo((java.math.BigDecimal) row.get("amount")));

            String rerun = (String) json(ingest.post("/api/jobs/" + job.connector() + "/runs/" + id + "/rerun", "{}").body()).get("id");
            Map<String, Object> again = awaitFinished(ingest, job.connector(), rerun);
            assertEquals(window(), job.ids("2022112210"), "a rerun of the window replaces the partition, it does not add");
            assertEquals(600, written(again, "ds=2022112210"));
            assertEquals(List.of("ds=2022112210"), mc.partitions(PROJECT, job.table()));
        }
    }

    /**
     * kill -9 of the sink while it commits the run's session: the emulator holds the commit request, the sink dies
     * waiting for the answer, then the commit takes effect (as a commit the service received does). The restarted sink
     * reads the unacknowledged rows-topic records again, finds the session committed, does not commit anything twice,
     * and reports the run, whose partition holds every record of the window once.
     */
    @Test
    void aSinkKilledWhileCommittingFinishesTheRunOnceAfterARestart() {
        Job job = Job.create("mc-job-kill");
        produce(job);
        Map<String, String> env = job.env();
        Map<String, String> sinkEnv = new HashMap<>(env);
        // the killed sink's group membership must expire before the restarted one gets the rows partitions
        sinkEnv.put("MP_MESSAGING_INCOMING_ROWS_SESSION_TIMEOUT_MS", "6000");
        try (ServiceProcess ingest = new ServiceProcess("ingest-service", job.connector() + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", job.connector() + "-sink", sinkEnv)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(60), ingest, sink);
            String commit = "POST /projects/" + PROJECT + "/tables/" + job.table() + "?uploadid";
            mc.holdCommits();
            try {
                String id = submit(ingest, job.connector(), "20221122090000", "20221122100000", "2022112210");
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                        .until(() -> mc.requests().contains(commit));
                assertEquals(List.of(), job.ids("2022112210"), "nothing visible before the commit");
                sink.kill();
                assertEquals("LOADING", run(ingest, job.connector(), id).get("state"));
                mc.releaseCommits();
                await().atMost(Duration.ofSeconds(10)).until(() -> job.ids("2022112210").size() == 600);

                sink.startReady(Duration.ofSeconds(60));
                Map<String, Object> r = awaitFinished(ingest, job.connector(), id);
                assertEquals(window(), job.ids("2022112210"), "every record of the window once");
                assertEquals(600, written(r, "ds=2022112210"));
                assertEquals(1, mc.requests().stream().filter(commit::equals).count(), "the session was committed once");
            } finally {
                mc.releaseCommits();
            }
        }
    }
}
