package io.kwsync.system;

import io.kwsync.emulator.maxcompute.AdjustableClock;
import io.kwsync.emulator.maxcompute.EmulatorLimits;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.PartitionCounters;
import io.kwsync.emulator.maxcompute.ReplyFault;
import io.kwsync.emulator.maxcompute.TunnelCall;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the MaxCompute service does wrong or enforces, end to end: a server that closes the connection in the middle
 * of an upsert flush or a block upload (no hang: liveness DOWN once KWSYNC_SINK_RETRY_TIMEOUT has passed, nothing lost
 * or doubled after the restart), a session that expires or reaches its block limit while open, the pace of sessions
 * and commits per partition (with the emulator refusing sessions created too soon after the last), and a table whose
 * partition column is spelled in another case than ingest's.
 */
class MaxComputeFaultsIT {

    static final String PROJECT = "kwsync_faults";
    static final String TABLE = McPipeline.KV + " PARTITIONED BY (pt STRING)";

    static MaxComputeEmulator emulator(MaxComputeEmulator.Builder b) {
        return b.start().createProject(PROJECT);
    }

    /** Liveness goes DOWN no sooner than the retry timeout after the fault started, and well within a minute of it. */
    static void awaitGivingUp(McPipeline p, long faultStart, Duration retryTimeout) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> p.sink.status("/q/health/live") == 503);
        long after = (System.nanoTime() - faultStart) / 1_000_000;
        assertTrue(after >= retryTimeout.toMillis(), "DOWN only once the retries ran out: after " + after + " ms");
        assertTrue(p.sink.get("/q/health/live").contains("KWSYNC_MAXCOMPUTE_CALL_TIMEOUT"), p.sink.get("/q/health/live"));
        assertTrue(p.sink.isAlive(), "the process still answers: Kubernetes restarts it");
    }

    @Test
    void aServerGoneInTheMiddleOfAnUpsertFlushTurnsLivenessDownAndTheRestartLeavesOneRowPerKey() {
        int n = 1200;
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder());
             McPipeline p = new McPipeline(mc, PROJECT, "mc-gone-upsert", "(topic STRING, `partition` BIGINT, `offset` BIGINT,"
                     + " key STRING NOT NULL, value STRING, PRIMARY KEY (key)) PARTITIONED BY (pt STRING) TBLPROPERTIES ('transactional'='true')",
                     3, 40)) {
            Duration retryTimeout = Duration.ofSeconds(10);
            p.produce(0, n / 2);
            p.start(Map.of("KWSYNC_SINK_RETRY_TIMEOUT", "10s", "KWSYNC_MAXCOMPUTE_CALL_TIMEOUT", "2s"));
            await().atMost(Duration.ofSeconds(90)).until(() -> p.rowCount() == 40);
            mc.failNext(TunnelCall.UPSERT_FLUSH, ReplyFault.CLOSE, 100_000); // every flush from now on: taken, never answered
            long start = System.nanoTime();
            p.produce(n / 2, n);
            awaitGivingUp(p, start, retryTimeout);
            mc.clearFaults();
            p.sink.kill();
            p.startSink(Map.of());
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> p.assertOneRowPerKey(n));
        }
    }

    @Test
    void aServerGoneInTheMiddleOfABlockUploadTurnsLivenessDownAndTheRestartWritesEveryRecordOnce() {
        int n = 1200;
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder());
             McPipeline p = new McPipeline(mc, PROJECT, "mc-gone-append", TABLE, 3, 0)) {
            p.produce(0, n / 2);
            p.start(Map.of("KWSYNC_SINK_RETRY_TIMEOUT", "10s", "KWSYNC_MAXCOMPUTE_CALL_TIMEOUT", "2s"));
            await().atMost(Duration.ofSeconds(90)).until(() -> p.rowCount() == n / 2);
            mc.failNext(TunnelCall.BLOCK_UPLOAD, ReplyFault.HANG, 100_000);
            long start = System.nanoTime();
            p.produce(n / 2, n);
            awaitGivingUp(p, start, Duration.ofSeconds(10));
            mc.clearFaults();
            mc.releaseHeldReplies();
            p.sink.kill();
            p.startSink(Map.of());
            p.awaitRows(n, Duration.ofSeconds(120));
            p.assertExactlyOnce(n);
        }
    }

    @Test
    void aSessionThatExpiresWhileOpenStopsTheSinkAndTheRestartWritesEveryRecordOnce() {
        int n = 1000;
        AdjustableClock service = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder().clock(service));
             McPipeline p = new McPipeline(mc, PROJECT, "mc-expired", TABLE, 3, 0)) {
            p.produce(0, n / 2);
            p.start(Map.of("KWSYNC_MAXCOMPUTE_COMMIT_INTERVAL", "10m"));
            await().atMost(Duration.ofSeconds(90)).until(() -> p.uploaded() >= n / 2);
            service.advance(Duration.ofHours(24)); // the service's clock: the open session is now expired
            p.produce(n / 2, n);
            await().atMost(Duration.ofSeconds(60)).until(() -> p.sink.status("/q/health/live") == 503);
            assertTrue(p.sink.get("/q/health/live").contains("expired"), p.sink.get("/q/health/live"));
            assertEquals(0, p.rowCount());
            p.sink.kill();
            p.startSink(Map.of("KWSYNC_MAXCOMPUTE_COMMIT_INTERVAL", "2s"));
            p.awaitRows(n, Duration.ofSeconds(120));
            p.assertExactlyOnce(n);
        }
    }

    @Test
    void aSessionThatReachesItsBlockLimitIsCommittedAndTheRestGoesIntoANewOne() {
        int n = 2000;
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder().limits(EmulatorLimits.REAL.withMaxBlocksPerSession(4)));
             McPipeline p = new McPipeline(mc, PROJECT, "mc-blocks", TABLE, 3, 0)) {
            p.env.put("MP_MESSAGING_INCOMING_ROWS_MAX_POLL_RECORDS", "50");
            p.sink.envPut(p.env);
            p.produce(0, n);
            p.start(Map.of("KWSYNC_MAXCOMPUTE_COMMIT_INTERVAL", "10m", "KWSYNC_SINK_BATCH_MAX_ROWS", "100"));
            await().atMost(Duration.ofSeconds(90)).until(() -> p.uploaded() >= n);
            int exit = p.sink.stop();
            assertTrue(exit == 0 || exit == 143, "SIGTERM: a clean exit, not " + exit);
            p.assertExactlyOnce(n); // what was held was committed before the exit
            assertTrue(Delivery.caughtUp(TestKafka.bootstrap(), "kwsync-sink-" + p.connector, "kwsync-rows-" + p.connector),
                    "offsets committed before the exit");
            PartitionCounters c = p.counters();
            assertTrue(c.commits() >= n / 150 / 4, "a session committed each time the tunnel refused a fifth block: " + c);
            assertEquals(c.uploadSessions(), c.commits(), c.toString());
            assertTrue(c.committedFiles() <= 4 * c.commits(), c.toString());
        }
    }

    @Test
    void sessionsAndCommitsFollowTheCommitIntervalAndAnUpperCasePartitionColumnTakesRowsOfALowerCaseOne() throws Exception {
        Duration interval = Duration.ofSeconds(3);
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder()
                .limits(EmulatorLimits.REAL.withEnforcedSessionInterval(interval.minusMillis(300))));
             McPipeline p = new McPipeline(mc, PROJECT, "mc-paced", McPipeline.KV + " PARTITIONED BY (PT STRING)", 3, 0)) {
            p.start(Map.of("KWSYNC_MAXCOMPUTE_COMMIT_INTERVAL", "3s"));
            // a steady stream: 50 records every 250 ms for 15 s, all in one hourly partition
            // counted once acknowledged: the wait below must not end (and stop the producer) while a send is under way
            AtomicInteger next = new AtomicInteger();
            AtomicInteger sent = new AtomicInteger();
            ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
            long started = System.nanoTime();
            producer.scheduleAtFixedRate(() -> {
                int from = next.getAndAdd(50);
                if (from >= 3000) return;
                p.produce(from, from + 50);
                sent.addAndGet(50);
            }, 0, 250, TimeUnit.MILLISECONDS);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> sent.get() >= 3000);
            } finally {
                producer.shutdownNow();
                producer.awaitTermination(10, TimeUnit.SECONDS);
            }
            p.awaitRows(3000, Duration.ofSeconds(60));
            double seconds = (System.nanoTime() - started) / 1e9;
            p.assertExactlyOnce(3000);
            assertEquals(java.util.List.of("PT=11-17-2020 14"), mc.partitions(PROJECT, p.table), "the table's spelling");
            PartitionCounters c = p.counters();
            System.out.printf("paced commits over %.1f s at a %s interval: %s%n", seconds, interval, c);
            assertTrue(c.commits() >= 3, c.toString());
            assertTrue(c.commits() <= seconds / interval.toSeconds() + 2, "at most one commit per interval: " + c);
            assertTrue(c.shortestSessionInterval().orElseThrow().compareTo(interval.minusMillis(300)) >= 0, c.toString());
            assertTrue(c.committedFiles() > c.commits(), "several blocks per commit: " + c);
        }
    }
}
