package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.emulator.maxcompute.PartitionCounters;
import io.kwsync.emulator.maxcompute.ReplyFault;
import io.kwsync.emulator.maxcompute.TunnelCall;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kwsync.sink.maxcompute.PacedCommitsTest.H14;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.H15;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.PROJECT;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.assertExactlyOnce;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.rows;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KWSYNC_MAXCOMPUTE_WRITE_MODE=stream: rows are visible when the write returns, through one streaming-tunnel session per
 * partition, without commits. At least once, and how many rows land twice is counted: a flush whose connection closes
 * is sent again by the JDK's HTTP client (its rows land twice while the SDK reports success), while a replay after a
 * restart skips what the commit log recorded.
 */
class StreamModeTest {

    @LocalMaxCompute(project = PacedCommitsTest.PROJECT)

    static MaxComputeEmulator mc;
    final List<Rejected> rejected = new ArrayList<>();

    static MaxComputeRowSink sink(String progress) {
        return Sinks.sink(mc, PROJECT, progress, WriteMode.STREAM, null, PacedCommitsTest.every(Duration.ofMinutes(10)),
                Clock.systemUTC(), Duration.ofSeconds(5));
    }

    @Test
    void rowsAreVisibleWhenTheWriteReturnsAndEveryWriteIsDurableAtOnce() throws Exception {
        String t = table(mc);
        String progress = TestKafka.unique("progress");
        try (MaxComputeRowSink sink = sink(progress)) {
            for (int w = 0; w < 4; w++) {
                sink.write(rows(t, w * 10, w * 10 + 10, 25), rejected::addAll);
                assertEquals(w * 10 + 10, mc.rowCount(PROJECT, t), "visible without a commit");
                assertEquals(w + 1, sink.commitDue(false), "every write durable");
            }
        }
        PartitionCounters h14 = mc.counters(PROJECT, t, "pt=" + H14);
        assertEquals(1, h14.streamSessions(), "one session per partition, kept");
        assertEquals(0, h14.commits());
        assertEquals(3, h14.committedFiles(), "a file per flush");
        assertEquals(1, mc.counters(PROJECT, t, "pt=" + H15).streamSessions());

        try (MaxComputeRowSink restarted = sink(progress)) {
            WriteResult r = restarted.write(rows(t, 0, 50, 25), rejected::addAll);
            assertEquals(10, r.written());
            assertEquals(40, r.duplicates(), "a replay skips what the commit log recorded");
        }
        assertExactlyOnce(mc, t, 50);
    }

    @Test
    void aFlushWhoseConnectionClosesLandsTwiceAndTheSinkCannotTell() throws Exception {
        String t = table(mc);
        try (MaxComputeRowSink sink = sink(TestKafka.unique("progress"))) {
            sink.write(rows(t, 0, 10, 100), rejected::addAll);
            mc.failNext(TunnelCall.STREAM_FLUSH, ReplyFault.CLOSE, 1);
            WriteResult r = sink.write(rows(t, 10, 20, 100), rejected::addAll);
            assertEquals(10, r.written(), "the SDK reported success");
        } finally {
            mc.clearFaults();
        }
        List<Long> offsets = new ArrayList<>();
        for (Map<String, Object> row : mc.rows(PROJECT, t, "pt=" + H14)) offsets.add((Long) row.get("offset"));
        assertEquals(30, offsets.size(), "the ten rows of the flush whose answer was lost are there twice");
        for (long o = 10; o < 20; o++) {
            long copies = o;
            assertEquals(2, offsets.stream().filter(x -> x == copies).count(), "offset " + o);
        }
        assertTrue(offsets.subList(0, 10).stream().allMatch(o -> o < 10));
    }
}
