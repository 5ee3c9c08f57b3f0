package io.kwsync.ingest.writer;

import io.kwsync.ingest.config.WriterDefinition;
import io.kwsync.ingest.job.JobMetrics;
import io.kwsync.ingest.job.JobRunException;
import io.kwsync.ingest.job.RunLog;
import io.kwsync.ingest.job.RunStatus;
import io.kwsync.ingest.job.Superseded;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.model.job.LoadResult;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run handler of the Kafka Writer against the real broker and MariaDB, in the two situations a new leader must
 * get right: a run that committed but whose SUCCEEDED never reached the status topic, and a run still going on a
 * replica that lost leadership (a zombie), which must be fenced so that none of its records become visible; and,
 * without transactions (acks 1), a fixed partition and what an interrupted run leaves behind.
 */
class WriterRunsTest {

    /** The status topic as an in-memory view; {@code refuse} makes matching publishes fail as a broker outage would. */
    static final class MemoryLog implements RunLog {
        final Map<String, RunStatus> runs = new ConcurrentHashMap<>();
        volatile Predicate<RunStatus> refuse = s -> false;

        @Override
        public RunStatus publish(RunStatus s) {
            if (refuse.test(s)) throw new JobRunException("cannot write to the status topic: broker unreachable", true);
            runs.merge(s.id(), s, (old, neu) -> neu.revision() >= old.revision() ? neu : old);
            return s;
        }

        @Override
        public Optional<RunStatus> run(String id) {
            return Optional.ofNullable(runs.get(id));
        }

        @Override
        public List<RunStatus> runs() {
            List<RunStatus> all = new ArrayList<>(runs.values());
            all.sort(Comparator.comparingLong(RunStatus::createdAt).reversed());
            return all;
        }

        @Override
        public Optional<LoadResult> load(String runId) {
            return Optional.empty();
        }

        @Override
        public void awaitChange(long millis) throws InterruptedException {
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(millis, 50) * 1_000_000L); // the run's own pause
        }
    }

    static WriterDefinition define(String connector, String table, String... more) {
        TestKafka.createTopic(connector + "-out", 3);
        TestKafka.createTopic("connect-status-" + connector, 1);
        Map<String, String> p = WriterSettingsTest.with("kwsync.connector.name", connector, "kwsync.writer.topic", connector + "-out",
                "kwsync.writer.source.jdbc-url", TestDatabases.mariadbUrl(), "kwsync.writer.source.jdbc-user", TestDatabases.user(),
                "kwsync.writer.source.jdbc-password", TestDatabases.password(), "kwsync.writer.source.table", table,
                "kwsync.writer.key-index", "0");
        for (int i = 0; i < more.length; i += 2) p.put(more[i], more[i + 1]);
        return WriterSettingsTest.read(p);
    }

    static String table(String connector, int n) {
        String table = connector.replace('-', '_');
        TestDatabases.execute(TestDatabases.mariadbUrl(), "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, payload VARCHAR(200))");
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = 0; i < n; i++) sql.append(i == 0 ? "" : ",").append("(").append(i).append(", '").append("x".repeat(190)).append("')");
        TestDatabases.execute(TestDatabases.mariadbUrl(), sql.toString());
        return table;
    }

    static WriterRuns handler(WriterDefinition d, RunLog log) {
        return new WriterRuns(d, log, new KafkaClients(Map.of("bootstrap.servers", TestKafka.bootstrap())),
                new JobMetrics(new SimpleMeterRegistry()), new WriterMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    }

    static RunStatus queued(String id) {
        RunStatus.Builder b = new RunStatus.Builder();
        b.id = id;
        b.state = RunStatus.State.QUEUED;
        b.trigger = RunStatus.Trigger.API;
        b.scheduledTime = "2022-11-22T10:15";
        b.parameters = Map.of();
        b.attempt = 1;
        b.createdAt = System.currentTimeMillis();
        return b.build();
    }

    @Test
    void aRunThatCommittedButCouldNotSaySoIsRecordedAsSucceededByTheNextLeader() {
        String connector = TestKafka.unique("wr-lost");
        WriterDefinition d = define(connector, table(connector, 300));
        MemoryLog log = new MemoryLog();
        log.refuse = s -> s.state() == RunStatus.State.SUCCEEDED;
        AtomicBoolean leader = new AtomicBoolean(true);
        RunLog failingThenStepDown = new RunLog() {
            @Override
            public RunStatus publish(RunStatus s) {
                try {
                    return log.publish(s);
                } catch (JobRunException e) {
                    leader.set(false); // the replica gives up: it stops leading while the broker is unreachable
                    throw e;
                }
            }

            @Override
            public Optional<RunStatus> run(String id) {
                return log.run(id);
            }

            @Override
            public List<RunStatus> runs() {
                return log.runs();
            }

            @Override
            public Optional<LoadResult> load(String runId) {
                return Optional.empty();
            }

            @Override
            public void awaitChange(long millis) throws InterruptedException {
                log.awaitChange(millis);
            }
        };
        assertThrows(Superseded.class, () -> handler(d, failingThenStepDown).execute(queued("r1"), leader::get));
        assertEquals(RunStatus.State.RUNNING, log.run("r1").orElseThrow().state(), "the status topic never heard of the commit");
        assertEquals(300, TestKafka.readCommitted(d.topic()).size(), "but the run committed");

        log.refuse = s -> false;
        handler(d, log).settle(log.run("r1").orElseThrow());
        RunStatus settled = log.run("r1").orElseThrow();
        assertEquals(RunStatus.State.SUCCEEDED, settled.state(), "the ledger says r1 committed: no rerun");
        assertEquals(300L, settled.written().get(d.topic()));
        assertNull(settled.retryAt());
        assertEquals(300, TestKafka.readCommitted(d.topic()).size());
    }

    @Test
    void aZombieRunIsFencedByTheNextLeaderAndNoneOfItsRecordsBecomeVisible() throws Exception {
        String connector = TestKafka.unique("wr-zombie");
        WriterDefinition d = define(connector, table(connector, 2000), "kwsync.writer.speed-mbps", "0.1", "kwsync.writer.batch-size", "50");
        MemoryLog log = new MemoryLog();
        // the zombie believes it still leads: only the fence can stop it
        CompletableFuture<Object> zombie = CompletableFuture.supplyAsync(() -> {
            try {
                return handler(d, log).execute(queued("z1"), () -> true);
            } catch (RuntimeException e) {
                return e;
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKafka.read(d.topic(), 200, Duration.ofSeconds(1)).size() >= 200);
        RunStatus running = log.run("z1").orElseThrow();
        assertEquals(RunStatus.State.RUNNING, running.state());

        handler(d, log).settle(running); // the new leader
        assertEquals(RunStatus.State.FAILED, log.run("z1").orElseThrow().state());
        Object ended = zombie.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(ended instanceof Superseded, "the zombie learns it was fenced: " + ended);
        assertEquals(RunStatus.State.FAILED, log.run("z1").orElseThrow().state(), "and does not overwrite the new leader's verdict");
        assertEquals(0, TestKafka.readCommitted(d.topic()).size(), "nothing of the zombie's run is visible");

        RunStatus retried = handler(d, log).execute(queued("z2"), () -> true);
        assertEquals(RunStatus.State.SUCCEEDED, retried.state(), String.valueOf(retried.error()));
        assertEquals(2000, TestKafka.readCommitted(d.topic()).size(), "each row once");
    }

    @Test
    void withAcksOneEveryRowGoesToTheFixedPartitionAndAnInterruptedRunSaysItsRecordsStay() {
        String connector = TestKafka.unique("wr-acks1");
        WriterDefinition d = define(connector, table(connector, 120), "kwsync.writer.acks", "1", "kwsync.writer.partition", "2");
        MemoryLog log = new MemoryLog();
        RunStatus done = handler(d, log).execute(queued("p1"), () -> true);
        assertEquals(RunStatus.State.SUCCEEDED, done.state(), String.valueOf(done.error()));
        assertEquals(120L, done.written().get(d.topic()));
        List<ConsumerRecord<byte[], byte[]>> records = TestKafka.read(d.topic(), 120, Duration.ofSeconds(30));
        assertEquals(120, records.size());
        assertTrue(records.stream().allMatch(r -> r.partition() == 2), "KWSYNC_WRITER_PARTITION sends every record to partition 2");
        assertEquals(120, records.stream().map(r -> new String(r.key())).distinct().count(), "keys from column 0");

        RunStatus.Builder left = queued("p2").toBuilder();
        left.state = RunStatus.State.RUNNING;
        left.owner = "gone";
        handler(d, log).settle(left.build());
        RunStatus settled = log.run("p2").orElseThrow();
        assertEquals(RunStatus.State.FAILED, settled.state());
        assertTrue(settled.error().contains("records it sent stay on the topic (KWSYNC_WRITER_ACKS is not all)"), settled.error());
    }
}
