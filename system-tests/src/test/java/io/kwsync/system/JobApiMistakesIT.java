package io.kwsync.system;

import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job API against real processes: a mistake in a run request (an unknown field or parameter, an empty window) is a
 * 400 naming it, queues nothing and leaves the loaded partition as it is; a window that reads nothing over the loaded
 * partition fails in the sink and leaves it as it is too; emptying a partition takes an explicit "allowEmpty": true,
 * which reaches the sink in the END markers.
 */
class JobApiMistakesIT {

    @Test
    void mistakesAreRefusedAndTheLoadedPartitionKeepsItsRows() {
        JobEndToEndIT.Job job = JobEndToEndIT.Job.create("job-api", 1);
        String connector = job.connector();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) records.add(JobEndToEndIT.order(job.source(), 0, JobEndToEndIT.at(9, 10 + i, 0), i));
        TestKafka.sendAll(records);
        Map<String, String> env = JobEndToEndIT.env(connector, job.source(), job.table());
        env.put("KWSYNC_JOB_PARAMETERS", "startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24]");
        env.put("KWSYNC_JOB_RERUN_TIMES", "0"); // a refused run is not retried in this test: the next request runs at once

        try (ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
             ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", env)) {
            ServiceProcess.startAllReady(Duration.ofSeconds(90), ingest, sink);
            String loaded = JobEndToEndIT.submit(ingest, connector, "20221122090000", "20221122100000", "2022112210");
            JobEndToEndIT.awaitFinished(ingest, connector, loaded);
            assertEquals(5, JobEndToEndIT.rows(job.table(), "2022112210"));

            String runs = "/api/jobs/" + connector + "/runs";
            int before = runCount(ingest, runs);
            ServiceProcess.Response r = ingest.post(runs, "{\"paramters\":{}}");
            assertEquals(400, r.status(), r.body());
            assertEquals(Map.of("error", "invalid_request", "message",
                    "unknown field \"paramters\" (known fields: allowEmpty, parameters, scheduledTime)"), JobEndToEndIT.json(r.body()));
            r = ingest.post(runs, "{\"parameters\":{\"foo\":\"bar\"}}");
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("unknown parameter 'foo'"), r.body());
            r = ingest.post(runs, "{\"parameters\":{\"startTime\":\"20221122090000\",\"endTime\":\"20221122090000\",\"partition\":\"2022112210\"}}");
            assertEquals(400, r.status(), r.body());
            assertTrue(r.body().contains("is empty (its end equals its begin)"), r.body());
            r = ingest.post(runs, "{\"parameters\":");
            assertEquals(400, r.status(), r.body());
            assertEquals("invalid_json", JobEndToEndIT.json(r.body()).get("error"));
            assertEquals(Map.of("error", "invalid_request", "message", "limit must be a whole number from 1 to 1000, got 'abc'"),
                    JobEndToEndIT.json(ingest.get(runs + "?limit=abc")));
            assertEquals("not_found", JobEndToEndIT.json(ingest.get("/api/jobs/" + connector + "/nothing")).get("error"));
            assertEquals("not_found", JobEndToEndIT.json(ingest.get("/api/nothing")).get("error"));
            assertEquals(before, runCount(ingest, runs), "no run was queued");
            assertEquals(5, JobEndToEndIT.rows(job.table(), "2022112210"), "the loaded partition keeps its rows");

            // a window without records (11:00-12:00) aimed at the loaded partition: the sink refuses to empty it
            String nothing = JobEndToEndIT.submit(ingest, connector, "20221122110000", "20221122120000", "2022112210");
            Map<String, Object> refused = awaitDone(ingest, connector, nothing);
            assertEquals("FAILED", refused.get("state"), String.valueOf(refused));
            String error = String.valueOf(refused.get("error"));
            assertTrue(error.contains("would empty partition ds=2022112210 of " + job.table() + ", which holds 5 rows")
                    && error.contains("\"allowEmpty\": true"), error);
            assertEquals(5, JobEndToEndIT.rows(job.table(), "2022112210"), "the loaded partition still keeps its rows");

            // on purpose: the empty window with allowEmpty empties the partition, and the sink reads the marker that says so
            r = ingest.post(runs, "{\"parameters\":{\"startTime\":\"20221122090000\",\"endTime\":\"20221122090000\","
                    + "\"partition\":\"2022112210\"},\"allowEmpty\":true}");
            assertEquals(202, r.status(), r.body());
            Map<String, Object> emptied = JobEndToEndIT.awaitFinished(ingest, connector, (String) JobEndToEndIT.json(r.body()).get("id"));
            assertEquals(Boolean.TRUE, emptied.get("allowEmpty"));
            assertEquals(0, JobEndToEndIT.written(emptied, "ds=2022112210"));
            assertEquals(0, JobEndToEndIT.rows(job.table(), "2022112210"));
        }
    }

    /** The run once it finished, whether it succeeded or failed. */
    static Map<String, Object> awaitDone(ServiceProcess ingest, String connector, String id) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Object state = JobEndToEndIT.run(ingest, connector, id).get("state");
            return "SUCCEEDED".equals(state) || "FAILED".equals(state);
        });
        return JobEndToEndIT.run(ingest, connector, id);
    }

    static int runCount(ServiceProcess ingest, String runs) {
        try {
            return io.kwsync.model.job.JobStatusTopic.JSON.readTree(ingest.get(runs + "?limit=1000")).size();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
