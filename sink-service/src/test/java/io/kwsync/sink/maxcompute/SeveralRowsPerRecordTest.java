package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.AdjustableClock;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.WriteResult;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.kwsync.sink.maxcompute.PacedCommitsTest.H14;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.H15;
import static io.kwsync.sink.maxcompute.PacedCommitsTest.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Source records of several rows (a Canal message) whose rows land in two partitions, and a crash after one partition's
 * session was committed and the other's was not: after the restart every row is in MaxCompute exactly once, the
 * committed ones skipped by their session and the others written again, although they share their record's offset.
 */
class SeveralRowsPerRecordTest {

    private final List<Rejected> rejected = new ArrayList<>();

    /** Records [from, to) of two rows each: the first to hour 14, the second to hour 15 from {@code split} on. */
    private static List<RowEvent> records(String table, long from, long to, long split) {
        List<RowEvent> rows = new ArrayList<>();
        for (long o = from; o < to; o++) {
            Origin origin = new Origin("canal", 0, o, 0, null, List.of());
            for (int i = 0; i < 2; i++) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("topic", "canal");
                c.put("partition", 0L);
                c.put("offset", o);
                c.put("key", "k" + o);
                c.put("value", "row " + i);
                String pt = i == 1 && o >= split ? H15 : H14;
                rows.add(new RowEvent(origin, new Destination(table, Map.of("pt", pt)), c).asRow(i, 2));
            }
        }
        return rows;
    }

    @Test
    void aRecordWhoseRowsSpanACommittedAndALostSessionIsCompletedOnceAfterACrash() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = PacedCommitsTest.emulator(MaxComputeEmulator.builder())) {
            String t = PacedCommitsTest.table(mc);
            String progress = TestKafka.unique("progress");
            MaxComputeRowSink crashed = PacedCommitsTest.sink(mc, progress, PacedCommitsTest.every(Duration.ofSeconds(60)), clock,
                    Duration.ofSeconds(10));
            crashed.write(records(t, 0, 5, 100), rejected::addAll); // hour 14's session opens
            clock.advance(Duration.ofSeconds(30));
            crashed.write(records(t, 5, 10, 5), rejected::addAll); // hour 15's opens, with the second rows of 5-9
            clock.advance(Duration.ofSeconds(35));
            assertEquals(1, crashed.commitDue(false), "hour 14's session is due, hour 15's is not");
            assertEquals(15, mc.rowCount(PROJECT, t), "both rows of 0-4, the first rows of 5-9");
            crashed.close(); // the process dies: hour 15's session is never committed

            try (MaxComputeRowSink restarted = PacedCommitsTest.sink(mc, progress, PacedCommitsTest.every(Duration.ofSeconds(60)),
                    clock, Duration.ofSeconds(10))) {
                WriteResult r = restarted.write(records(t, 0, 13, 5), rejected::addAll);
                assertEquals(5 + 6, r.written(), "the second rows of 5-9, and 10-12 whole");
                assertEquals(10 + 5, r.duplicates(), "0-4 whole, and the committed first rows of 5-9");
                restarted.commitDue(true);
            }
            Set<String> seen = new HashSet<>();
            for (List<Map<String, Object>> part : mc.allRows(PROJECT, t).values()) {
                for (Map<String, Object> row : part) assertTrue(seen.add(row.get("offset") + "/" + row.get("value")), "duplicate " + row);
            }
            assertEquals(26, seen.size(), "every row of every record once");
            assertTrue(rejected.isEmpty(), rejected.toString());
        }
    }
}
