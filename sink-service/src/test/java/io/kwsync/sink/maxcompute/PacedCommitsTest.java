package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.AdjustableClock;
import io.kwsync.emulator.maxcompute.EmulatorLimits;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.PartitionCounters;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kwsync.sink.maxcompute.MaxComputeRowSinkTest.KV_COLUMNS;
import static io.kwsync.sink.maxcompute.MaxComputeRowSinkTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions held open across writes and committed at a pace, against the emulator's counters: one session per
 * partition takes every write until it is due by age or size or reaches the tunnel's limits; and a "crash" (the sink
 * dropped, a new one on the same progress topic reading the same rows again) with sessions open, with a commit whose
 * outcome is not known yet, or with a session that expired, writes every row exactly once.
 */
class PacedCommitsTest {

    static final String PROJECT = "kwsync_paced";
    static final String H14 = "11-17-2020 14";
    static final String H15 = "11-17-2020 15";
    final List<Rejected> rejected = new ArrayList<>();

    static MaxComputeEmulator emulator(MaxComputeEmulator.Builder b) {
        return b.start().createProject(PROJECT);
    }

    static String table(MaxComputeEmulator mc) {
        String t = TestKafka.unique("paced").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " " + KV_COLUMNS + " PARTITIONED BY (pt STRING)");
        // created ahead, so that tests with short deadlines do not depend on how fast a SQL instance runs here
        mc.execute(PROJECT, "ALTER TABLE " + t + " ADD PARTITION (pt='" + H14 + "')");
        mc.execute(PROJECT, "ALTER TABLE " + t + " ADD PARTITION (pt='" + H15 + "')");
        return t;
    }

    static MaxComputeRowSink sink(MaxComputeEmulator mc, String progress, Pacing pacing, Clock clock, Duration callTimeout) {
        return Sinks.sink(mc, PROJECT, progress, WriteMode.APPEND, null, pacing, clock, callTimeout);
    }

    static Pacing every(Duration interval) {
        return new Pacing(interval, Pacing.MAX_BYTES, Pacing.MAX_BLOCKS, Pacing.SESSION_LIFETIME);
    }

    /** Offsets [from, to) of source partition 0, the ones below {@code split} in hour 14 and the rest in hour 15. */
    static List<RowEvent> rows(String table, long from, long to, long split) {
        List<RowEvent> rows = new ArrayList<>();
        for (long o = from; o < to; o++) rows.add(row(table, o < split ? H14 : H15, "src", 0, o));
        return rows;
    }

    static void assertExactlyOnce(MaxComputeEmulator mc, String table, long n) {
        Set<Long> seen = new HashSet<>();
        for (List<Map<String, Object>> part : mc.allRows(PROJECT, table).values()) {
            for (Map<String, Object> r : part) assertTrue(seen.add((Long) r.get("offset")), "duplicate " + r);
        }
        assertEquals(n, seen.size(), "every row once");
    }

    @Test
    void oneSessionPerPartitionTakesEveryWriteUntilItIsOldEnough() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder());
             MaxComputeRowSink sink = sink(mc, TestKafka.unique("progress"), every(Duration.ofSeconds(60)), clock, Duration.ofSeconds(10))) {
            String t = table(mc);
            for (int w = 0; w < 5; w++) {
                sink.write(rows(t, w * 10, w * 10 + 10, 25), rejected::addAll);
                clock.advance(Duration.ofSeconds(10));
                assertEquals(0, sink.commitDue(false), "nothing is durable before a session is due");
            }
            assertEquals(0, mc.rowCount(PROJECT, t), "nothing visible before the commit");
            PartitionCounters h14 = mc.counters(PROJECT, t, "pt=" + H14);
            PartitionCounters h15 = mc.counters(PROJECT, t, "pt=" + H15);
            assertEquals(1, h14.uploadSessions());
            assertEquals(1, h15.uploadSessions());
            assertEquals(3, h14.blocksUploaded(), "a block per write that had rows for the partition");
            assertEquals(3, h15.blocksUploaded());

            clock.advance(Duration.ofSeconds(10));
            assertEquals(2, sink.commitDue(false), "hour 14's session is 60 s old; hour 15's, opened by write 3, is not");
            assertEquals(25, mc.rowCount(PROJECT, t), "offsets 0-24");
            assertEquals(1, mc.counters(PROJECT, t, "pt=" + H14).commits());
            assertEquals(3, mc.counters(PROJECT, t, "pt=" + H14).committedFiles(), "one file per block");
            clock.advance(Duration.ofSeconds(20));
            assertEquals(5, sink.commitDue(false));
            assertExactlyOnce(mc, t, 50);
            assertEquals(1, mc.counters(PROJECT, t, "pt=" + H15).commits());

            // a partition that went quiet is committed by age alone
            sink.write(rows(t, 50, 60, 100), rejected::addAll);
            clock.advance(Duration.ofSeconds(30));
            sink.write(rows(t, 60, 70, 0), rejected::addAll);
            assertEquals(5, sink.commitDue(false));
            clock.advance(Duration.ofSeconds(30));
            assertEquals(6, sink.commitDue(false), "hour 14's session is due; hour 15's holds write 7 for 30 s more");
            clock.advance(Duration.ofSeconds(30));
            assertEquals(7, sink.commitDue(false));
            assertExactlyOnce(mc, t, 70);
            assertEquals(2, mc.counters(PROJECT, t, "pt=" + H14).uploadSessions());
        }
    }

    @Test
    void aSessionIsCommittedOnceItsBlocksReachTheSizeLimit() throws Exception {
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder());
             MaxComputeRowSink sink = sink(mc, TestKafka.unique("progress"), new Pacing(Duration.ofHours(1), 2_000,
                     Pacing.MAX_BLOCKS, Pacing.SESSION_LIFETIME), Clock.systemUTC(), Duration.ofSeconds(10))) {
            String t = table(mc);
            sink.write(rows(t, 0, 5, 100), rejected::addAll);
            assertEquals(0, sink.commitDue(false), "a small block: under the size");
            sink.write(rows(t, 5, 1_000, 1_000), rejected::addAll);
            assertEquals(2, sink.commitDue(false), "past the size");
            assertExactlyOnce(mc, t, 1_000);
            assertEquals(1, mc.counters(PROJECT, t, "pt=" + H14).commits());
        }
    }

    @Test
    void aSessionThatReachesTheTunnelsBlockLimitIsCommittedAndANewOneTakesTheRest() throws Exception {
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder().limits(EmulatorLimits.REAL.withMaxBlocksPerSession(3)));
             MaxComputeRowSink sink = sink(mc, TestKafka.unique("progress"), every(Duration.ofHours(1)), Clock.systemUTC(),
                     Duration.ofSeconds(10))) {
            String t = table(mc);
            for (int w = 0; w < 7; w++) sink.write(rows(t, w * 3, w * 3 + 3, 100), rejected::addAll);
            PartitionCounters c = mc.counters(PROJECT, t, "pt=" + H14);
            assertEquals(3, c.uploadSessions(), "the tunnel refused a fourth block: committed, and a new session opened");
            assertEquals(2, c.commits());
            assertEquals(6, mc.rowCount(PROJECT, t) / 3, "two full sessions visible");
            assertEquals(6, sink.commitDue(false), "writes 1-6 are durable, the seventh sits in the third session");
            assertEquals(7, sink.commitDue(true));
            assertExactlyOnce(mc, t, 21);
        }
    }

    @Test
    void aCrashWithSessionsOpenWritesEveryRowOnceAfterTheRestart() throws Exception {
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder())) {
            String t = table(mc);
            String progress = TestKafka.unique("progress");
            MaxComputeRowSink crashed = sink(mc, progress, every(Duration.ofMinutes(10)), Clock.systemUTC(), Duration.ofSeconds(10));
            crashed.write(rows(t, 0, 20, 10), rejected::addAll);
            crashed.write(rows(t, 20, 30, 10), rejected::addAll);
            crashed.close(); // the process dies: nothing acknowledged, both sessions left open on the tunnel

            try (MaxComputeRowSink restarted = sink(mc, progress, every(Duration.ofMinutes(10)), Clock.systemUTC(), Duration.ofSeconds(10))) {
                WriteResult r = restarted.write(rows(t, 0, 40, 10), rejected::addAll);
                assertEquals(40, r.written(), "the open sessions were never committed: their rows are written again");
                assertEquals(1, restarted.commitDue(true));
            }
            assertExactlyOnce(mc, t, 40);
            PartitionCounters h15 = mc.counters(PROJECT, t, "pt=" + H15);
            assertEquals(2, h15.uploadSessions());
            assertEquals(1, h15.commits(), "the session of the crashed sink was never committed");
        }
    }

    @Test
    void aSessionStillCommittingAtTheRestartIsWaitedForAndItsRowsAreNotWrittenAgain() throws Exception {
        AdjustableClock service = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder().clock(service)
                .limits(EmulatorLimits.REAL.withCommitting(Duration.ofMinutes(10), 0)))) {
            String t = table(mc);
            String progress = TestKafka.unique("progress");
            try (MaxComputeRowSink crashed = sink(mc, progress, every(Duration.ofSeconds(1)), Clock.systemUTC(), Duration.ofSeconds(2))) {
                crashed.write(rows(t, 0, 30, 100), rejected::addAll);
                SinkException e = assertThrows(SinkException.class, () -> crashed.commitDue(true));
                assertTrue(e.retriable() && e.getMessage().contains("still committing"), e.getMessage());
            }
            try (MaxComputeRowSink restarted = sink(mc, progress, every(Duration.ofSeconds(1)), Clock.systemUTC(), Duration.ofSeconds(2))) {
                SinkException e = assertThrows(SinkException.class, () -> restarted.write(rows(t, 0, 40, 100), rejected::addAll));
                assertTrue(e.retriable(), "its outcome is not known yet: nothing is written meanwhile. " + e.getMessage());
                assertEquals(1, mc.counters(PROJECT, t, "pt=" + H14).uploadSessions(), "no new session");
                service.advance(Duration.ofMinutes(10)); // the service finishes the commit
                WriteResult r = restarted.write(rows(t, 0, 40, 100), rejected::addAll);
                assertEquals(10, r.written());
                assertEquals(30, r.duplicates(), "the committed session's rows are skipped");
                assertThrows(SinkException.class, () -> restarted.commitDue(true), "the new session is committing too");
                service.advance(Duration.ofMinutes(10));
                assertEquals(1, restarted.commitDue(true));
            }
            assertExactlyOnce(mc, t, 40);
        }
    }

    @Test
    void aSessionThatExpiresWhileOpenStopsTheSinkAndTheRestartWritesItsRowsOnce() throws Exception {
        AdjustableClock service = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder().clock(service))) {
            String t = table(mc);
            String progress = TestKafka.unique("progress");
            try (MaxComputeRowSink sink = sink(mc, progress, every(Duration.ofMinutes(10)), Clock.systemUTC(), Duration.ofSeconds(5))) {
                sink.write(rows(t, 0, 10, 100), rejected::addAll);
                service.advance(Duration.ofHours(24)); // the sink was stalled, or the clocks disagree: the tunnel expired it
                SinkException e = assertThrows(SinkException.class, () -> sink.write(rows(t, 10, 20, 100), rejected::addAll));
                assertFalse(e.retriable(), "rows of an earlier write were in it: only a restart reads them again");
                assertTrue(e.getMessage().contains("expired"), e.getMessage());
            }
            try (MaxComputeRowSink restarted = sink(mc, progress, every(Duration.ofMinutes(10)), Clock.systemUTC(), Duration.ofSeconds(5))) {
                assertEquals(20, restarted.write(rows(t, 0, 20, 100), rejected::addAll).written());
                restarted.commitDue(true);
            }
            assertExactlyOnce(mc, t, 20);
        }
    }

    @Test
    void sessionsAreCommittedBeforeTheEndOfTheirLife() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder());
             MaxComputeRowSink sink = sink(mc, TestKafka.unique("progress"), new Pacing(Duration.ofHours(1), Pacing.MAX_BYTES,
                     Pacing.MAX_BLOCKS, Duration.ofMinutes(90)), clock, Duration.ofSeconds(10))) {
            String t = table(mc);
            sink.write(rows(t, 0, 10, 100), rejected::addAll);
            clock.advance(Duration.ofMinutes(29));
            assertEquals(0, sink.commitDue(false));
            clock.advance(Duration.ofMinutes(1)); // an hour before the end of a 90-minute life
            assertEquals(1, sink.commitDue(false));
            assertEquals(10, mc.rowCount(PROJECT, t));
        }
    }

    @Test
    void anUpsertCommitStillUnderWayAtTheRestartEndsBeforeAnyRowIsWrittenAgain() throws Exception {
        AdjustableClock service = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = emulator(MaxComputeEmulator.builder().clock(service)
                .limits(EmulatorLimits.REAL.withCommitting(Duration.ofMinutes(10), 0)))) {
            String t = TestKafka.unique("keyed").replace('-', '_');
            mc.execute(PROJECT, "CREATE TABLE " + t + " (k STRING NOT NULL, v BIGINT, PRIMARY KEY (k)) PARTITIONED BY (pt STRING)"
                    + " TBLPROPERTIES ('transactional'='true')");
            mc.execute(PROJECT, "ALTER TABLE " + t + " ADD PARTITION (pt='a')");
            String progress = TestKafka.unique("progress");
            try (MaxComputeRowSink crashed = Sinks.sink(mc, PROJECT, progress, WriteMode.AUTO, null, every(Duration.ofSeconds(1)),
                    Clock.systemUTC(), Duration.ofSeconds(2))) {
                crashed.write(DeadlinesTest.keyed(t, 0, 10), rejected::addAll);
                assertThrows(SinkException.class, () -> crashed.commitDue(true), "the service is still committing");
            }
            try (MaxComputeRowSink restarted = Sinks.sink(mc, PROJECT, progress, WriteMode.AUTO, null, every(Duration.ofSeconds(1)),
                    Clock.systemUTC(), Duration.ofSeconds(2))) {
                SinkException e = assertThrows(SinkException.class, () -> restarted.write(DeadlinesTest.keyed(t, 0, 20), rejected::addAll));
                assertTrue(e.retriable(), e.getMessage());
                assertEquals(1, mc.counters(PROJECT, t, "pt=a").upsertSessions(), "nothing written while the old commit is under way");
                service.advance(Duration.ofMinutes(10));
                assertEquals(20, restarted.write(DeadlinesTest.keyed(t, 0, 20), rejected::addAll).written(), "upserts are written again");
                assertThrows(SinkException.class, () -> restarted.commitDue(true));
                service.advance(Duration.ofMinutes(10));
                assertEquals(1, restarted.commitDue(true));
            }
            List<Map<String, Object>> stored = mc.rows(PROJECT, t, "pt=a");
            assertEquals(5, stored.size());
            for (Map<String, Object> r : stored) assertTrue((Long) r.get("v") >= 15, "the newer values win: " + r);
        }
    }
}
