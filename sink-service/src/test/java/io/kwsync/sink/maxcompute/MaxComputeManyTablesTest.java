package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.AdjustableClock;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.sink.maxcompute.MaxComputeRowSinkTest.KV_COLUMNS;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.PROJECT;
import static io.kwsync.sink.maxcompute.MaxComputeRowSinkTest.row;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.H14;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream routed to many more tables than the sink keeps in memory (KWSYNC_MAXCOMPUTE_TABLE_CACHE_SIZE): the table
 * metadata and the streaming sessions stay within the bound, sessions of tables that went quiet are committed by age
 * and dropped, a table that fell out of the cache is read again when its rows come back, and every row lands once in
 * its own table, also after a replay.
 */
class MaxComputeManyTablesTest {

    private static final int TABLES = 40;
    private static final int CACHE = 5;

    @LocalMaxCompute(project = PacedCommitsTest.PROJECT)

    static MaxComputeEmulator mc;
    final List<Rejected> rejected = new ArrayList<>();

    private static List<String> tables(String prefix) {
        String base = TestKafka.unique(prefix).replace('-', '_');
        List<String> names = new ArrayList<>();
        for (int t = 0; t < TABLES; t++) {
            String name = base + "_" + t;
            mc.execute(PROJECT, "CREATE TABLE " + name + " " + KV_COLUMNS + " PARTITIONED BY (pt STRING)");
            mc.execute(PROJECT, "ALTER TABLE " + name + " ADD PARTITION (pt='" + H14 + "')");
            names.add(name);
        }
        return names;
    }

    /** Offsets [from, to) of source partitions 0 and 1, offset o to table o % TABLES. */
    private static List<RowEvent> rows(List<String> tables, long from, long to) {
        List<RowEvent> rows = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            for (long o = from; o < to; o++) rows.add(row(tables.get((int) (o % TABLES)), H14, "src", p, o));
        }
        return rows;
    }

    private static void assertEveryRowOnceInItsTable(List<String> tables, long n) {
        for (int t = 0; t < TABLES; t++) {
            Map<Long, Integer> seen = new HashMap<>();
            for (Map<String, Object> r : mc.rows(PROJECT, tables.get(t), "pt=" + H14)) {
                long o = (Long) r.get("offset");
                assertEquals(t, o % TABLES, "offset " + o + " in table " + t);
                seen.merge(o, 1, Integer::sum);
            }
            assertEquals(n / TABLES, seen.size(), "table " + t + ": its offsets");
            seen.forEach((o, c) -> assertEquals(2, c, "offset " + o + ": once per source partition"));
        }
    }

    @Test
    void appendSessionsOfQuietTablesAreCommittedAndDroppedAndTheTableCacheStaysBounded() throws Exception {
        List<String> tables = tables("many");
        AdjustableClock clock = AdjustableClock.startingNow();
        String progress = TestKafka.unique("progress");
        try (MaxComputeRowSink sink = Sinks.sink(mc, PROJECT, progress, WriteMode.APPEND, null,
                PacedCommitsTest.every(Duration.ofSeconds(60)), clock, Duration.ofSeconds(30), CACHE)) {
            for (long from = 0; from < 80; from += 10) {
                assertEquals(20, sink.write(rows(tables, from, from + 10), rejected::addAll).written());
                assertTrue(sink.held().tables() <= CACHE, "cached tables: " + sink.held());
            }
            assertEquals(TABLES, sink.held().sessions(), "a session per table, none due yet");
            clock.advance(Duration.ofSeconds(61));
            assertEquals(8, sink.commitDue(false), "every write durable");
            assertEquals(0, sink.held().sessions(), "committed sessions are dropped");
            assertEveryRowOnceInItsTable(tables, 80);

            // the tables come back: those that fell out of the cache are read again
            for (long from = 80; from < 160; from += 20) sink.write(rows(tables, from, from + 20), rejected::addAll);
            assertTrue(sink.held().tables() <= CACHE, "cached tables: " + sink.held());
            clock.advance(Duration.ofSeconds(61));
            assertEquals(12, sink.commitDue(false));
            assertEquals(0, sink.held().sessions());
        }
        assertEveryRowOnceInItsTable(tables, 160);
        try (MaxComputeRowSink restarted = Sinks.sink(mc, PROJECT, progress, WriteMode.APPEND, null, Sinks.AT_ONCE, clock,
                Duration.ofSeconds(30), CACHE)) {
            WriteResult r = restarted.write(rows(tables, 0, 170), rejected::addAll); // a replay, 20 rows of it new
            restarted.commitDue(false);
            assertEquals(20, r.written());
            assertEquals(320, r.duplicates());
            assertTrue(restarted.held().tables() <= CACHE, "cached tables: " + restarted.held());
        }
        assertEquals(List.of(), rejected);
        // offsets 160-169 were new: tables 0-9 hold five offsets now, once per source partition
        for (int t = 0; t < 10; t++) assertEquals(10, mc.rows(PROJECT, tables.get(t), "pt=" + H14).size(), "table " + t);
    }

    @Test
    void streamingSessionsStayWithinTheBound() throws Exception {
        List<String> tables = tables("manystream");
        try (MaxComputeRowSink sink = Sinks.sink(mc, PROJECT, TestKafka.unique("progress"), WriteMode.STREAM, null,
                PacedCommitsTest.every(Duration.ofMinutes(10)), AdjustableClock.startingNow(), Duration.ofSeconds(30), CACHE)) {
            for (long from = 0; from < 80; from += 10) {
                assertEquals(20, sink.write(rows(tables, from, from + 10), rejected::addAll).written());
                assertTrue(sink.held().streams() <= CACHE && sink.held().tables() <= CACHE, "held: " + sink.held());
            }
        }
        assertEquals(List.of(), rejected);
        assertEveryRowOnceInItsTable(tables, 80);
    }
}
