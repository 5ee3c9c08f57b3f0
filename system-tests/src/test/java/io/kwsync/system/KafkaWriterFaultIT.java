package io.kwsync.system;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kwsync.system.JobEndToEndIT.json;
import static io.kwsync.system.KafkaWriterRoundTripIT.jdbcSource;
import static io.kwsync.system.KafkaWriterRoundTripIT.runFor;
import static io.kwsync.system.KafkaWriterRoundTripIT.writerEnv;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka Writer's guarantees against real failures, measured on the topic: a writer killed with kill -9 in the
 * middle of a run, restarted, reruns the run, and a read_committed consumer sees every row exactly once; a rerun of a
 * committed window writes nothing; the throughput limit holds over megabytes.
 */
class KafkaWriterFaultIT {

    static final String URL = TestDatabases.mariadbUrl();

    /** A source table of {@code n} rows of about {@code width} characters, all of business date 20221121. */
    static String table(String connector, int n, int width) {
        String table = connector.replace('-', '_') + "_src";
        TestDatabases.execute(URL, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, payload VARCHAR(400), ds VARCHAR(8))");
        for (int from = 0; from < n; from += 2000) {
            StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
            for (int i = from; i < Math.min(n, from + 2000); i++) {
                sql.append(i == from ? "" : ",").append("(").append(i).append(", '").append(("row-" + i + "-").repeat(40), 0, width)
                        .append("', '20221121')");
            }
            TestDatabases.execute(URL, sql.toString());
        }
        return table;
    }

    static Set<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> keys = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) keys.add(new String(r.key(), StandardCharsets.UTF_8));
        return keys;
    }

    @SuppressWarnings("unchecked")
    static long rowsSoFar(ServiceProcess writer, String connector, String id) {
        Map<String, Object> run = JobEndToEndIT.run(writer, connector, id);
        return run == null || run.get("counts") == null ? 0 : ((Number) ((Map<String, Object>) run.get("counts")).get("rows")).longValue();
    }

    @Test
    void aWriterKilledHalfWayRerunsTheRunAndEveryRowIsReadExactlyOnce() {
        String connector = TestKafka.unique("wr-kill");
        String topic = connector + "-topic";
        TestKafka.createTopic(topic, 3);
        int n = 20_000;
        Map<String, String> env = writerEnv(connector, topic);
        env.putAll(jdbcSource(URL, table(connector, n, 180)));
        env.put("KWSYNC_WRITER_SPEED_MBPS", "0.5"); // about 8 s for the 4 MB of the run: time to kill it
        env.put("KWSYNC_WRITER_BATCH_SIZE", "500");
        env.put("KWSYNC_JOB_RERUN_TIMES", "2");
        env.put("KWSYNC_JOB_RERUN_INTERVAL", "1s");
        try (ServiceProcess writer = new ServiceProcess("ingest-service", connector + "-writer", env)) {
            writer.startReady(Duration.ofSeconds(60));
            var response = writer.post("/api/jobs/" + connector + "/runs", "{\"parameters\":{\"bizdate\":\"20221121\"}}");
            assertEquals(202, response.status(), response.body());
            String first = (String) json(response.body()).get("id");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> rowsSoFar(writer, connector, first) >= 3000);
            writer.kill();

            assertEquals(0, TestKafka.readCommitted(topic).size(), "nothing of the killed run is visible to read_committed readers");
            int physical = TestKafka.read(topic, 3000, Duration.ofSeconds(20)).size();
            assertTrue(physical >= 3000 && physical < n, "the killed run had written part of its rows: " + physical);

            writer.startReady(Duration.ofSeconds(60)); // leads once the killed replica's session (10 s) has expired
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                    "FAILED".equals(JobEndToEndIT.run(writer, connector, first).get("state")));
            Map<String, Object> failed = JobEndToEndIT.run(writer, connector, first);
            assertTrue(String.valueOf(failed.get("error")).contains("nothing of it was committed"), String.valueOf(failed.get("error")));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                    JobEndToEndIT.run(writer, connector, first).get("retriedBy") != null);
            String retry = (String) JobEndToEndIT.run(writer, connector, first).get("retriedBy");
            Map<String, Object> done = JobEndToEndIT.awaitFinished(writer, connector, retry);
            assertEquals((long) n, JobEndToEndIT.written(done, topic));

            List<ConsumerRecord<byte[], byte[]>> committed = TestKafka.readCommitted(topic);
            assertEquals(n, committed.size(), "each row exactly once");
            assertEquals(n, keys(committed).size());

            // a rerun of the committed window (here: of the killed run, whose retry wrote it) writes nothing
            var rerun = writer.post("/api/jobs/" + connector + "/runs/" + first + "/rerun", "{}");
            assertEquals(202, rerun.status(), rerun.body());
            Map<String, Object> again = JobEndToEndIT.awaitFinished(writer, connector, (String) json(rerun.body()).get("id"));
            assertEquals(retry, again.get("alreadyWrittenBy"));
            assertEquals(0L, JobEndToEndIT.written(again, topic));
            Map<String, Object> requested = runFor(writer, connector, "20221121");
            assertEquals(retry, requested.get("alreadyWrittenBy"), "a new request for the same rows too");
            assertEquals(n, TestKafka.readCommitted(topic).size());
        }
    }

    @Test
    void theThroughputLimitHoldsForWhatReachesTheTopic() {
        String connector = TestKafka.unique("wr-speed");
        String topic = connector + "-topic";
        TestKafka.createTopic(topic, 3);
        int n = 20_000;
        Map<String, String> env = writerEnv(connector, topic);
        env.putAll(jdbcSource(URL, table(connector, n, 200)));
        env.put("KWSYNC_WRITER_SPEED_MBPS", "1");
        try (ServiceProcess writer = new ServiceProcess("ingest-service", connector + "-writer", env)) {
            writer.startReady(Duration.ofSeconds(60));
            Map<String, Object> run = runFor(writer, connector, "20221121");
            assertEquals((long) n, JobEndToEndIT.written(run, topic));
        }
        List<ConsumerRecord<byte[], byte[]>> records = TestKafka.readCommitted(topic);
        assertEquals(n, records.size());
        long bytes = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            bytes += r.key().length + r.value().length;
            first = Math.min(first, r.timestamp()); // CreateTime: when the writer sent it
            last = Math.max(last, r.timestamp());
        }
        assertTrue(bytes > 4_000_000, "a meaningful volume: " + bytes);
        double limit = 1_048_576;
        double rate = bytes / ((last - first) / 1000.0);
        assertTrue(rate <= limit * 1.15, "rate " + Math.round(rate) + " B/s is above the limit of 1 MB/s");
        assertTrue(rate >= limit * 0.3, "rate " + Math.round(rate) + " B/s: far below the limit, the measure proves nothing");
        assertNotNull(records.get(0).key());
    }
}
