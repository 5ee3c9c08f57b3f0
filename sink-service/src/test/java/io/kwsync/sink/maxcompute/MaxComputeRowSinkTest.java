package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.emulator.maxcompute.ReplyFault;
import io.kwsync.emulator.maxcompute.TunnelCall;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowOperation;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MaxCompute sink on its own, against the emulator (the real SDK over HTTP) and the real broker for its commit
 * log: partitions, values, exactly-once across lost replies and restarts, upsert, overwrite, refusals.
 */
class MaxComputeRowSinkTest {

    static final String PROJECT = "kwsync_test";
    static final String KV_COLUMNS = "(topic STRING, `partition` BIGINT, `offset` BIGINT, key STRING, value STRING)";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    static String table(String prefix) {
        String t = TestKafka.unique(prefix).replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " " + KV_COLUMNS + " PARTITIONED BY (pt STRING)");
        return t;
    }

    /** A transactional table with primary key id, partitioned by pt: what upsert sessions write. */
    static String transactionalTable(String prefix, String columns) {
        String t = TestKafka.unique(prefix).replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " (" + columns + ", PRIMARY KEY (id)) PARTITIONED BY (pt STRING)"
                + " TBLPROPERTIES (\"transactional\"=\"true\")");
        return t;
    }

    /** A sink whose sessions are committed whenever it is asked, which {@link #write} does after each write. */
    static MaxComputeRowSink sink(String progressTopic, WriteMode mode, String fixedTable) {
        return Sinks.sink(mc, PROJECT, progressTopic, mode, fixedTable, Sinks.AT_ONCE, Clock.systemUTC(), Duration.ofSeconds(30));
    }

    static RowEvent row(String table, String pt, String src, int partition, long offset) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("topic", src);
        c.put("partition", (long) partition);
        c.put("offset", offset);
        c.put("key", "k" + offset);
        c.put("value", "v" + offset);
        return new RowEvent(new Origin(src, partition, offset, 0, null, List.of()), new Destination(table, Map.of("pt", pt)), c);
    }

    /** Offsets 0..n-1 of two source partitions; the first half of each in hour 14, the rest in hour 15. */
    static List<RowEvent> batch(String table, int n) {
        List<RowEvent> rows = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            for (long o = 0; o < n; o++) rows.add(row(table, o < n / 2 ? "11-17-2020 14" : "11-17-2020 15", "src", p, o));
        }
        return rows;
    }

    static final List<Rejected> REJECTED = new ArrayList<>();

    /** A write and the commit of what it left open, as the rows consumer does with the defaults' pacing reached. */
    static WriteResult write(MaxComputeRowSink sink, List<RowEvent> rows) throws SinkException {
        WriteResult r = sink.write(rows, REJECTED::addAll);
        sink.commitDue(false);
        return r;
    }

    static List<Long> offsets(String table, String pt) {
        return mc.rows(PROJECT, table, "pt=" + pt).stream().map(r -> (Long) r.get("offset")).sorted().collect(Collectors.toList());
    }

    @Test
    void aRowWhosePredecessorNeverArrivedIsSkippedUntilIngestSendsBothAgain() throws Exception {
        String t = table("chain");
        String pt = "11-17-2020 14";
        try (MaxComputeRowSink sink = sink(TestKafka.unique("progress"), WriteMode.AUTO, null)) {
            // offset 1's send failed after 2 and 3 were sent: 2 and 3 must wait, or offset 1 would count as done
            WriteResult first = write(sink, List.of(row(t, pt, "src", 0, 0), row(t, pt, "src", 0, 2).chainedAfter(1),
                    row(t, pt, "src", 0, 3).chainedAfter(2)));
            assertEquals(1, first.written());
            assertEquals(2, first.duplicates(), "skipped, counted with the duplicates");
            assertEquals(List.of(0L), offsets(t, pt));
            // ingest re-reads from offset 1 in a new session
            WriteResult again = write(sink, List.of(row(t, pt, "src", 0, 1), row(t, pt, "src", 0, 2).chainedAfter(1),
                    row(t, pt, "src", 0, 3).chainedAfter(2), row(t, pt, "src", 0, 5).chainedAfter(3)));
            assertEquals(4, again.written());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 5L), offsets(t, pt));
    }

    @Test
    void rowsLandInTheirPartitionsWhichAreCreatedAndAReplayAfterARestartAddsNothing() throws Exception {
        String t = table("append");
        String progress = TestKafka.unique("progress");
        try (MaxComputeRowSink sink = sink(progress, WriteMode.AUTO, null)) {
            WriteResult r = write(sink, batch(t, 10));
            assertEquals(20, r.written());
        }
        assertEquals(List.of("pt=11-17-2020 14", "pt=11-17-2020 15"), mc.partitions(PROJECT, t));
        assertEquals(10, mc.rows(PROJECT, t, "pt=11-17-2020 14").size());
        Map<String, Object> first = mc.rows(PROJECT, t, "pt=11-17-2020 15").stream().filter(x -> x.get("offset").equals(7L)
                && x.get("partition").equals(1L)).findFirst().orElseThrow();
        assertEquals(Map.of("topic", "src", "partition", 1L, "offset", 7L, "key", "k7", "value", "v7"), first);

        try (MaxComputeRowSink restarted = sink(progress, WriteMode.AUTO, null)) {
            List<RowEvent> replay = new ArrayList<>(batch(t, 10));
            replay.add(row(t, "11-17-2020 15", "src", 0, 10));
            WriteResult r = write(restarted, replay);
            assertEquals(1, r.written());
            assertEquals(20, r.duplicates());
        }
        assertEquals(21, mc.rowCount(PROJECT, t), "each row exactly once");
    }

    @Test
    void aCommitWhoseReplyIsLostIsNotRepeatedNeitherByARetryNorAfterARestart() throws Exception {
        String t = table("lost");
        String progress = TestKafka.unique("progress");
        List<RowEvent> rows = batch(t, 10);
        // the first of the two sessions commits, its answer never comes: the sink gives the call up at its deadline
        try (MaxComputeRowSink sink = Sinks.sink(mc, PROJECT, progress, WriteMode.APPEND, null, Sinks.AT_ONCE, Clock.systemUTC(),
                Duration.ofSeconds(5))) {
            mc.failNext(TunnelCall.UPLOAD_COMMIT, ReplyFault.HANG, 1);
            SinkException e = assertThrows(SinkException.class, () -> write(sink, rows));
            assertTrue(e.retriable(), e.getMessage());
            assertEquals(10, mc.rowCount(PROJECT, t), "one partition committed, the other not");
        } finally {
            mc.clearFaults();
            mc.releaseHeldReplies();
        }
        try (MaxComputeRowSink restarted = sink(progress, WriteMode.APPEND, null)) {
            WriteResult r = write(restarted, rows);
            assertEquals(10, r.written());
            assertEquals(10, r.duplicates());
        }
        assertEquals(List.of(0L, 0L, 1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L), offsets(t, "11-17-2020 14"));
        assertEquals(List.of(5L, 5L, 6L, 6L, 7L, 7L, 8L, 8L, 9L, 9L), offsets(t, "11-17-2020 15"));

        // the same in one process: the rows consumer asks again for the commit, which the sink settles by the status
        String t2 = table("retry");
        List<RowEvent> rows2 = batch(t2, 6);
        try (MaxComputeRowSink sink = Sinks.sink(mc, PROJECT, TestKafka.unique("progress"), WriteMode.APPEND, null, Sinks.AT_ONCE,
                Clock.systemUTC(), Duration.ofSeconds(5))) {
            mc.failNext(TunnelCall.UPLOAD_COMMIT, ReplyFault.HANG, 1);
            WriteResult r = sink.write(rows2, REJECTED::addAll);
            assertEquals(12, r.written());
            assertThrows(SinkException.class, () -> sink.commitDue(false));
            mc.releaseHeldReplies();
            assertEquals(1, sink.commitDue(false), "the commit the sink gave up on is found committed; the other is made");
            mc.dropCommitResponses(1); // a lost answer alone is settled at once by asking the status
            WriteResult again = sink.write(List.of(row(t2, "11-17-2020 15", "src", 0, 6)), REJECTED::addAll);
            assertEquals(1, again.written());
            assertEquals(2, sink.commitDue(false));
        } finally {
            mc.clearFaults();
            mc.releaseHeldReplies();
        }
        assertEquals(13, mc.rowCount(PROJECT, t2));
    }

    @Test
    void upsertsIntoAPrimaryKeyTableLeaveOneRowPerKey() throws Exception {
        String t = transactionalTable("pk", "id BIGINT NOT NULL, name STRING, amount DECIMAL(12,2)");
        List<RowEvent> rows = new ArrayList<>();
        for (long i = 0; i < 20; i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", i % 10);
            c.put("name", "n" + i);
            c.put("amount", new java.math.BigDecimal(i + ".50"));
            rows.add(new RowEvent(new Origin("src", 0, i, 0, null, List.of()), new Destination(t, Map.of("pt", "p1")), c));
        }
        try (MaxComputeRowSink sink = sink(TestKafka.unique("progress"), WriteMode.AUTO, null)) {
            assertEquals(20, write(sink, rows).written());
            assertEquals(20, write(sink, rows).duplicates(), "a replay is recognised");
        }
        try (MaxComputeRowSink forgetful = sink(TestKafka.unique("progress"), WriteMode.UPSERT, null)) {
            assertEquals(20, write(forgetful, rows).written(), "without the commit log the rows go again and collapse on the key");
        }
        List<Map<String, Object>> stored = mc.rows(PROJECT, t, "pt=p1");
        assertEquals(10, stored.size());
        Map<String, Object> id3 = stored.stream().filter(r -> r.get("id").equals(3L)).findFirst().orElseThrow();
        assertEquals("n13", id3.get("name"), "the later row wins");
        assertEquals(0, new java.math.BigDecimal("13.50").compareTo((java.math.BigDecimal) id3.get("amount")));
    }

    @Test
    void deleteEventsDeleteFromUpsertTablesAndAreRefusedByAppendedOnes() throws Exception {
        String t = transactionalTable("pkdel", "id BIGINT NOT NULL, name STRING");
        List<RowEvent> rows = new ArrayList<>();
        long[] ids = {1, 2, 3, 1, 2, 2};
        for (int i = 0; i < ids.length; i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", ids[i]);
            if (i != 3 && i != 4) c.put("name", "n" + i);
            RowEvent r = new RowEvent(new Origin("src", 0, i, 0, null, List.of()), new Destination(t, Map.of("pt", "p1")), c);
            rows.add(i == 3 || i == 4 ? r.withOperation(RowOperation.DELETE) : r); // delete 1, delete 2, then 2 again
        }
        try (MaxComputeRowSink sink = sink(TestKafka.unique("progress"), WriteMode.AUTO, null)) {
            assertEquals(6, write(sink, rows).written());
        }
        List<Map<String, Object>> stored = mc.rows(PROJECT, t, "pt=p1");
        assertEquals(List.of(2L, 3L), stored.stream().map(r -> (Long) r.get("id")).sorted().toList());
        assertEquals("n5", stored.stream().filter(r -> r.get("id").equals(2L)).findFirst().orElseThrow().get("name"));

        String appended = table("appenddel");
        REJECTED.clear();
        try (MaxComputeRowSink sink = sink(TestKafka.unique("progress"), WriteMode.AUTO, null)) {
            WriteResult r = write(sink, List.of(row(appended, "p1", "src", 0, 0), row(appended, "p1", "src", 0, 1)
                    .withOperation(RowOperation.DELETE)));
            assertEquals(1, r.written());
            assertEquals(1, r.rejected());
        }
        assertTrue(REJECTED.get(0).reason().getMessage().contains("a delete event needs an upsert session"),
                REJECTED.get(0).reason().getMessage());
        assertEquals(List.of(0L), offsets(appended, "p1"));
    }

    @Test
    void overwriteReplacesAPartitionOnceThenAppends() throws Exception {
        String t = table("overwrite");
        mc.execute(PROJECT, "ALTER TABLE " + t + " ADD PARTITION (pt='day1')");
        String progress = TestKafka.unique("progress");
        try (MaxComputeRowSink append = sink(progress, WriteMode.APPEND, null)) {
            write(append, List.of(row(t, "day1", "old", 0, 0), row(t, "day1", "old", 0, 1)));
        }
        try (MaxComputeRowSink sink = sink(progress, WriteMode.OVERWRITE, null)) {
            write(sink, List.of(row(t, "day1", "new", 0, 0), row(t, "day1", "new", 0, 1)));
            write(sink, List.of(row(t, "day1", "new", 0, 2)));
        }
        try (MaxComputeRowSink restarted = sink(progress, WriteMode.OVERWRITE, null)) {
            write(restarted, List.of(row(t, "day1", "new", 0, 3)));
        }
        List<Map<String, Object>> rows = mc.rows(PROJECT, t, "pt=day1");
        assertEquals(List.of("new", "new", "new", "new"), rows.stream().map(r -> r.get("topic")).collect(Collectors.toList()));
    }

    @Test
    void anOverwriteWhoseReplyIsLostIsNotRepeatedAfterARestart() throws Exception {
        String t = table("overwrite_lost");
        mc.execute(PROJECT, "ALTER TABLE " + t + " ADD PARTITION (pt='day1')");
        String progress = TestKafka.unique("progress");
        try (MaxComputeRowSink append = sink(progress, WriteMode.APPEND, null)) {
            write(append, List.of(row(t, "day1", "old", 0, 0)));
        }
        try (MaxComputeRowSink sink = Sinks.sink(mc, PROJECT, progress, WriteMode.OVERWRITE, null, Sinks.AT_ONCE, Clock.systemUTC(),
                Duration.ofSeconds(5))) {
            mc.failNext(TunnelCall.UPLOAD_COMMIT, ReplyFault.HANG, 1);
            assertThrows(SinkException.class, () -> write(sink, List.of(row(t, "day1", "new", 0, 0), row(t, "day1", "new", 0, 1))));
        } finally {
            mc.clearFaults();
            mc.releaseHeldReplies();
        }
        try (MaxComputeRowSink restarted = sink(progress, WriteMode.OVERWRITE, null)) {
            WriteResult r = write(restarted, List.of(row(t, "day1", "new", 0, 0), row(t, "day1", "new", 0, 1), row(t, "day1", "new", 0, 2)));
            assertEquals(1, r.written());
        }
        assertEquals(List.of(0L, 1L, 2L), offsets(t, "day1"), "the job's earlier rows survive: only its first write overwrote");
    }

    @Test
    void rowsTheTableRefusesAreHandedOverAndTheOthersWritten() throws Exception {
        String t = TestKafka.unique("typed").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " (a STRING, b BIGINT, c STRING)");
        List<RowEvent> rows = new ArrayList<>();
        for (long i = 0; i < 4; i++) {
            Map<String, Object> cols = new LinkedHashMap<>();
            cols.put("#0", "first" + i); // positional, as the CSV layout sends them
            cols.put("#1", i == 2 ? "not-a-number" : Long.toString(i));
            cols.put("unknown", "x");
            rows.add(new RowEvent(new Origin("src", 0, i, 0, null, List.of()), Destination.table(t), cols));
        }
        REJECTED.clear();
        try (MaxComputeRowSink sink = sink(TestKafka.unique("progress"), WriteMode.AUTO, null)) {
            WriteResult r = write(sink, rows);
            assertEquals(3, r.written());
            assertEquals(1, r.rejected());
            assertEquals(3, r.unknownKeys(), "the refused row stops at its bad column");
        }
        assertEquals(1, REJECTED.size());
        assertEquals(2L, REJECTED.get(0).row().origin().offset());
        assertTrue(REJECTED.get(0).reason().getMessage().contains("column b (BIGINT): 'not-a-number' is not an integer"),
                REJECTED.get(0).reason().getMessage());
        Map<String, Object> stored = mc.rows(PROJECT, t, "").get(1);
        assertEquals("first1", stored.get("a"));
        assertEquals(1L, stored.get("b"));
        assertEquals(null, stored.get("c"));
    }

    @Test
    void missingPermissionsStopTheBatchWithTheGrantToAdd() throws Exception {
        record Case(String privilege, String expected) {
        }
        for (Case c : List.of(new Case("Update", "denied the Update permission"), new Case("CreateInstance", "denied the CreateInstance permission"),
                new Case("Alter", "denied the Alter permission"), new Case("Describe", "denied the Describe permission"))) {
            String t = table("denied");
            mc.deny(c.privilege);
            try (MaxComputeRowSink sink = sink(TestKafka.unique("progress"), WriteMode.AUTO, null)) {
                SinkException e = assertThrows(SinkException.class, () -> write(sink, batch(t, 2)));
                assertFalse(e.retriable(), c.privilege);
                assertTrue(e.getMessage().contains(c.expected), e.getMessage());
                assertTrue(e.getMessage().contains("Grant "), e.getMessage());
            } finally {
                mc.allowAll();
            }
            assertEquals(0, mc.rowCount(PROJECT, t));
        }
    }

    @Test
    void rowsWithoutThePartitionsOfTheTableAreAConfigurationMistake() throws Exception {
        String t = table("nopart");
        try (MaxComputeRowSink sink = sink(TestKafka.unique("progress"), WriteMode.AUTO, null)) {
            RowEvent r = new RowEvent(new Origin("src", 0, 0, 0, null, List.of()), Destination.table(t), Map.of("topic", "x"));
            SinkException e = assertThrows(SinkException.class, () -> write(sink, List.of(r)));
            assertFalse(e.retriable());
            assertTrue(e.getMessage().contains("KWSYNC_PARTITION_COLUMNS"), e.getMessage());
        }
    }
}
