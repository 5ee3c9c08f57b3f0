package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.emulator.maxcompute.ReplyFault;
import io.kwsync.emulator.maxcompute.TunnelCall;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.sink.maxcompute.PacedCommitsTest.PROJECT;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.assertExactlyOnce;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.every;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.rows;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that stops answering in the middle of a call (the connection closed without a reply, or no reply at all):
 * the call ends at KWSYNC_MAXCOMPUTE_CALL_TIMEOUT as a retriable failure instead of hanging, and the write retried
 * afterwards leaves every row once (append) or one row per key (upsert). The SDK alone would wait for ever on an upsert
 * flush whose connection closed.
 */
class DeadlinesTest {

    static final Duration DEADLINE = Duration.ofSeconds(2);
    @LocalMaxCompute(project = PacedCommitsTest.PROJECT)
    static MaxComputeEmulator mc;
    final List<Rejected> rejected = new ArrayList<>();

    @AfterEach
    void release() {
        mc.clearFaults();
        mc.releaseHeldReplies();
    }

    static MaxComputeRowSink sink(WriteMode mode) {
        return Sinks.sink(mc, PROJECT, TestKafka.unique("progress"), mode, null, every(Duration.ofMinutes(10)), Clock.systemUTC(), DEADLINE);
    }

    static String upsertTable() {
        String t = TestKafka.unique("keyed").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " (k STRING NOT NULL, v BIGINT, PRIMARY KEY (k)) PARTITIONED BY (pt STRING)"
                + " TBLPROPERTIES ('transactional'='true')");
        mc.execute(PROJECT, "ALTER TABLE " + t + " ADD PARTITION (pt='a')");
        return t;
    }

    /** Offsets [from, to) of source partition 0 into partition pt=a, key k(offset % 5), value the offset. */
    static List<RowEvent> keyed(String table, long from, long to) {
        List<RowEvent> rows = new ArrayList<>();
        for (long o = from; o < to; o++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("k", "k" + o % 5);
            c.put("v", o);
            rows.add(new RowEvent(new Origin("src", 0, o, 0, null, List.of()), new Destination(table, Map.of("pt", "a")), c));
        }
        return rows;
    }

    /** Runs a call that must fail, retriably, within a few deadlines. */
    static SinkException failsInTime(org.junit.jupiter.api.function.Executable call) {
        long start = System.nanoTime();
        SinkException e = assertThrows(SinkException.class, call);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 4 * DEADLINE.toMillis(), "ended after " + millis + " ms: " + e.getMessage());
        assertTrue(e.retriable(), e.getMessage());
        return e;
    }

    @Test
    void anUpsertFlushWhoseConnectionClosesEndsAtTheDeadlineAndTheRetryLeavesOneRowPerKey() throws Exception {
        String t = upsertTable();
        try (MaxComputeRowSink sink = sink(WriteMode.AUTO)) {
            sink.write(keyed(t, 0, 10), rejected::addAll);
            mc.failNext(TunnelCall.UPSERT_FLUSH, ReplyFault.CLOSE, 1);
            SinkException e = failsInTime(() -> sink.write(keyed(t, 10, 20), rejected::addAll));
            assertTrue(e.getMessage().contains("KWSYNC_MAXCOMPUTE_CALL_TIMEOUT"), e.getMessage());
            sink.write(keyed(t, 10, 20), rejected::addAll); // the rows consumer writes the batch again
            assertEquals(2, sink.commitDue(true));
        }
        List<Map<String, Object>> stored = mc.rows(PROJECT, t, "pt=a");
        assertEquals(5, stored.size(), "one row per key");
        for (Map<String, Object> r : stored) assertTrue((Long) r.get("v") >= 15, "the latest value of each key wins: " + r);
    }

    @Test
    void anUpsertFlushThatIsNeverAnsweredAndAnUpsertCommitThatIsNeverAnsweredEndAtTheDeadline() throws Exception {
        String t = upsertTable();
        try (MaxComputeRowSink sink = sink(WriteMode.UPSERT)) {
            mc.failNext(TunnelCall.UPSERT_FLUSH, ReplyFault.HANG, 1);
            failsInTime(() -> sink.write(keyed(t, 0, 10), rejected::addAll));
            mc.releaseHeldReplies();
            sink.write(keyed(t, 0, 10), rejected::addAll);
            mc.failNext(TunnelCall.UPSERT_COMMIT, ReplyFault.HANG, 1);
            failsInTime(() -> sink.commitDue(true));
            mc.releaseHeldReplies();
            assertEquals(1, sink.commitDue(true), "asked again, the commit is found done");
        }
        assertEquals(5, mc.rows(PROJECT, t, "pt=a").size());
    }

    @Test
    void aBlockUploadWhoseConnectionClosesOrThatIsNeverAnsweredIsRetriedIntoTheSameBlock() throws Exception {
        String t = table(mc);
        try (MaxComputeRowSink sink = sink(WriteMode.APPEND)) {
            sink.write(rows(t, 0, 10, 5), rejected::addAll);
            mc.failNext(TunnelCall.BLOCK_UPLOAD, ReplyFault.CLOSE, 1);
            failsInTime(() -> sink.write(rows(t, 10, 20, 15), rejected::addAll));
            sink.write(rows(t, 10, 20, 15), rejected::addAll);
            mc.failNext(TunnelCall.BLOCK_UPLOAD, ReplyFault.HANG, 1);
            failsInTime(() -> sink.write(rows(t, 20, 30, 25), rejected::addAll));
            mc.releaseHeldReplies();
            sink.write(rows(t, 20, 30, 25), rejected::addAll);
            assertEquals(3, sink.commitDue(true));
        }
        assertExactlyOnce(mc, t, 30);
    }

    @Test
    void aBlockLeftByAFailedWriteThatNoLaterWriteReplacedIsEmptiedBeforeTheCommit() throws Exception {
        String t = table(mc);
        try (MaxComputeRowSink sink = sink(WriteMode.APPEND)) {
            sink.write(rows(t, 0, 10, 100), rejected::addAll);
            mc.failNext(TunnelCall.BLOCK_UPLOAD, ReplyFault.CLOSE, 1); // the block is stored, its answer lost
            failsInTime(() -> sink.write(rows(t, 10, 20, 100), rejected::addAll));
            // the partitions are handed over before the write is tried again: only what was written counts
            assertEquals(1, sink.commitDue(true));
        }
        assertExactlyOnce(mc, t, 10);
        assertEquals(1, mc.counters(PROJECT, t, "pt=" + PacedCommitsTest.H14).committedFiles(),
                "the second block was committed empty: no file");
    }

    @Test
    void anUploadCommitThatIsNeverAnsweredEndsAtTheDeadlineAndIsSettledByItsStatus() throws Exception {
        String t = table(mc);
        try (MaxComputeRowSink sink = sink(WriteMode.APPEND)) {
            sink.write(rows(t, 0, 10, 100), rejected::addAll);
            mc.failNext(TunnelCall.UPLOAD_COMMIT, ReplyFault.HANG, 1);
            failsInTime(() -> sink.commitDue(true));
            assertEquals(10, mc.rowCount(PROJECT, t), "the service committed it; only the answer is missing");
            mc.releaseHeldReplies();
            assertEquals(1, sink.commitDue(true));
        }
        assertExactlyOnce(mc, t, 10);
        assertEquals(1, mc.counters(PROJECT, t, "pt=" + PacedCommitsTest.H14).commits());
    }
}
