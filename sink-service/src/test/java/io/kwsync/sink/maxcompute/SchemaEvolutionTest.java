package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.model.Destination;
import io.kwsync.model.JsonText;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schema evolution into MaxCompute (KWSYNC_MAXCOMPUTE_AUTO_ADD_COLUMNS) against the emulator, which runs ALTER TABLE
 * ... ADD COLUMNS as strictly as the service: new keys become typed columns, keys in another case go into the existing
 * column, names that cannot be columns and keys past the cap are not added and counted, and rows held in an open
 * session from before the change are committed first.
 */
class SchemaEvolutionTest {

    static final String PROJECT = "kwsync_evolve";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    static String table() {
        String t = TestKafka.unique("evolve").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " (`offset` BIGINT, key STRING, Amount BIGINT) PARTITIONED BY (pt STRING)");
        return t;
    }

    static RowEvent row(String table, long offset, Map<String, Object> more) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("offset", offset);
        c.put("key", "k" + offset);
        c.putAll(more);
        return new RowEvent(new Origin("src", 0, offset, 0, null, List.of()), new Destination(table, Map.of("pt", "p1")), c);
    }

    static List<Map<String, Object>> rows(String table) {
        return mc.rows(PROJECT, table, "pt=p1").stream().sorted(Comparator.comparing(r -> (Long) r.get("offset"))).toList();
    }

    static double count(SimpleMeterRegistry registry, String name, String reason) {
        var search = registry.find(name);
        if (reason != null) search = search.tag("reason", reason);
        return search.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void newKeysBecomeTypedColumnsAndTheRestIsIgnoredAndCounted() throws Exception {
        String t = table();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("amount", 7L); // Amount in another case: that column, nothing added
        values.put("price", 2.5);
        values.put("flag", true);
        values.put("total", new BigDecimal("12.345"));
        values.put("doc", new JsonText("{\"a\":[1,2]}"));
        values.put("note", "first spelling");
        values.put("NOTE", "same column");
        values.put("bad-name", "x");
        values.put("pt", "a partition column");
        values.put("later", null); // no value to type a column by
        try (MaxComputeRowSink sink = Sinks.addingColumns(mc, PROJECT, TestKafka.unique("progress"), WriteMode.APPEND, Sinks.AT_ONCE,
                Clock.systemUTC(), 200, registry)) {
            WriteResult r = sink.write(List.of(row(t, 0, values)), x -> { });
            sink.commitDue(false);
            assertEquals(1, r.written());
            assertEquals(3, r.unknownKeys(), "bad-name, pt and the null later have no column");
            // the same keys again: nothing more to add, nothing counted again as not added
            sink.write(List.of(row(t, 1, Map.of("price", 3.5, "bad-name", "y"))), x -> { });
            sink.commitDue(false);
        }
        assertEquals("(offset BIGINT, key STRING, Amount BIGINT, price DOUBLE, flag BOOLEAN, total DECIMAL(38,18), doc STRING,"
                + " note STRING)", mc.describe(PROJECT, t).replaceAll("^\\S+ (\\(.*?\\)) PARTITIONED.*$", "$1"));
        List<Map<String, Object>> rows = rows(t);
        assertEquals(7L, rows.get(0).get("Amount"));
        assertEquals(2.5, rows.get(0).get("price"));
        assertEquals(true, rows.get(0).get("flag"));
        assertEquals(0, new BigDecimal("12.345").compareTo((BigDecimal) rows.get(0).get("total")));
        assertEquals("{\"a\":[1,2]}", rows.get(0).get("doc"));
        assertTrue(List.of("first spelling", "same column").contains(rows.get(0).get("note")), "one of the two spellings");
        assertEquals(3.5, rows.get(1).get("price"));
        assertEquals(5.0, count(registry, "kwsync.maxcompute.columns.added", null));
        assertEquals(1.0, count(registry, "kwsync.maxcompute.keys.not.added", "invalid-name"));
        assertEquals(1.0, count(registry, "kwsync.maxcompute.keys.not.added", "partition-column"));
    }

    @Test
    void theCapStopsAddingAndRowsHeldFromBeforeAreCommittedFirst() throws Exception {
        String t = table();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // sessions stay open until asked: the first write's rows are held when the second adds a column
        Pacing held = new Pacing(Duration.ofHours(1), Pacing.MAX_BYTES, Pacing.MAX_BLOCKS, Pacing.SESSION_LIFETIME);
        try (MaxComputeRowSink sink = Sinks.addingColumns(mc, PROJECT, TestKafka.unique("progress"), WriteMode.APPEND, held,
                Clock.systemUTC(), 4, registry)) {
            sink.write(List.of(row(t, 0, Map.of())), x -> { });
            assertEquals(0, mc.rowCount(PROJECT, t), "held in an open session");
            Map<String, Object> two = new LinkedHashMap<>();
            two.put("first", "a");
            two.put("second", "b");
            WriteResult r = sink.write(List.of(row(t, 1, two)), x -> { });
            assertEquals(1, r.unknownKeys(), "the cap of 4 columns left second out");
            assertEquals(1, mc.rowCount(PROJECT, t), "the old session was committed before the table changed");
            sink.commitDue(true);
        }
        assertEquals(4, mc.describe(PROJECT, t).split(",").length, mc.describe(PROJECT, t));
        List<Map<String, Object>> rows = rows(t);
        assertNull(rows.get(0).get("first"));
        assertEquals("a", rows.get(1).get("first"));
        assertEquals(1.0, count(registry, "kwsync.maxcompute.keys.not.added", "limit"));
    }

    @Test
    void streamModeOpensANewSessionWithTheNewColumns() throws Exception {
        String t = table();
        try (MaxComputeRowSink sink = Sinks.addingColumns(mc, PROJECT, TestKafka.unique("progress"), WriteMode.STREAM, Sinks.AT_ONCE,
                Clock.systemUTC(), 200, new SimpleMeterRegistry())) {
            sink.write(List.of(row(t, 0, Map.of())), x -> { });
            sink.write(List.of(row(t, 1, Map.of("extra", 5L))), x -> { });
        }
        List<Map<String, Object>> rows = rows(t);
        assertEquals(2, rows.size());
        assertEquals(5L, rows.get(1).get("extra"));
    }
}
