package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.model.Destination;
import io.kwsync.model.JsonText;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The converted values of every type through the SDK's tunnel writer into the emulator, which decodes them with the
 * SDK's own reader against the table's types: what the sink sends is what MaxCompute's format carries.
 */
class TypeRoundTripTest {

    static final String PROJECT = "kwsync_types";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    @Test
    void everyTypeArrivesAsWrittenAndARowThatDoesNotFitIsRefused() throws Exception {
        String t = TestKafka.unique("types").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " (ti TINYINT, si SMALLINT, i INT, bi BIGINT, fl FLOAT, do DOUBLE, de DECIMAL(10,2),"
                + " vc VARCHAR(5), ch CHAR(3), st STRING, bo BOOLEAN, da DATE, dt DATETIME, ts TIMESTAMP, ntz TIMESTAMP_NTZ, js JSON,"
                + " tags ARRAY<STRING>, counts MAP<STRING,BIGINT>, item STRUCT<id:BIGINT,name:STRING>)");
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ti", 1L);
        c.put("si", 2L);
        c.put("i", 3L);
        c.put("bi", 4L);
        c.put("fl", new BigDecimal("1.5"));
        c.put("do", new BigDecimal("2.5"));
        c.put("de", new BigDecimal("12.3"));
        c.put("vc", "abc");
        c.put("ch", "xy");
        c.put("st", "s");
        c.put("bo", true);
        c.put("da", "2020-11-17");
        c.put("dt", "2020-11-17T06:30:00Z");
        c.put("ts", "2020-11-17T06:30:00.123Z");
        c.put("ntz", "2020-11-17 14:30:00");
        c.put("js", new JsonText("{\"a\":1}"));
        c.put("tags", new JsonText("[\"x\",\"y\"]"));
        c.put("counts", new JsonText("{\"a\":1,\"b\":2}"));
        c.put("item", new JsonText("{\"id\":9,\"name\":\"n\"}"));
        RowEvent good = new RowEvent(new Origin("src", 0, 0, 0, null, List.of()), Destination.table(t), c);
        RowEvent bad = new RowEvent(new Origin("src", 0, 1, 0, null, List.of()), Destination.table(t),
                Map.of("tags", new JsonText("{\"not\":\"an array\"}")));
        List<Rejected> rejected = new ArrayList<>();
        try (MaxComputeRowSink sink = Sinks.sink(mc, PROJECT, TestKafka.unique("progress"), WriteMode.APPEND, null, Sinks.AT_ONCE,
                Clock.systemUTC(), Duration.ofSeconds(30))) {
            WriteResult r = sink.write(List.of(good, bad), rejected::addAll);
            sink.commitDue(false);
            assertEquals(1, r.written());
        }
        assertEquals(1, rejected.size());
        assertTrue(rejected.get(0).toString().contains("expects a JSON array"), rejected.get(0).toString());
        Map<String, Object> row = mc.allRows(PROJECT, t).values().iterator().next().get(0);
        assertEquals((byte) 1, row.get("ti"));
        assertEquals((short) 2, row.get("si"));
        assertEquals(3, row.get("i"));
        assertEquals(4L, row.get("bi"));
        assertEquals(1.5f, row.get("fl"));
        assertEquals(2.5, row.get("do"));
        assertEquals(0, new BigDecimal("12.30").compareTo((BigDecimal) row.get("de")));
        assertEquals("abc", String.valueOf(row.get("vc")));
        assertTrue(String.valueOf(row.get("ch")).startsWith("xy"), String.valueOf(row.get("ch")));
        assertEquals(true, row.get("bo"));
        assertEquals(LocalDateTime.of(2020, 11, 17, 14, 30), row.get("ntz"));
        assertEquals("{\"a\":1}", String.valueOf(row.get("js")));
        assertEquals(List.of("x", "y"), row.get("tags"));
        assertEquals(Map.of("a", 1L, "b", 2L), row.get("counts"));
        assertEquals("{id:9,name:n}", String.valueOf(row.get("item")).replace(" ", "").replace("\"", ""));
    }
}
