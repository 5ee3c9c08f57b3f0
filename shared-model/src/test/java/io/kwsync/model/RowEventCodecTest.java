package io.kwsync.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RowEventCodecTest {

    static RowEvent sample() {
        Map<String, Object> cols = new LinkedHashMap<>();
        cols.put("s", "héllo \u0000 wörld 😀");
        cols.put("l", Long.MIN_VALUE);
        cols.put("d", -0.0d);
        cols.put("dec", new BigDecimal("123456789012345678901234567890.000000001"));
        cols.put("t", true);
        cols.put("f", false);
        cols.put("n", null);
        cols.put("b", new byte[]{0, (byte) 0xFF, 7});
        cols.put("j", new JsonText("{\"a\":[1,2]}"));
        cols.put("", "empty name");
        Origin origin = new Origin("src-topic", 5, 1L << 40, 1_669_082_700_000L, "k".getBytes(StandardCharsets.UTF_8),
                List.of(new Header("h1", "v1".getBytes(StandardCharsets.UTF_8)), new Header("h2", null)));
        Map<String, String> spec = new LinkedHashMap<>();
        spec.put("ds", "20221122");
        spec.put("hh", "10");
        return new RowEvent(origin, new Destination("tbl", spec), cols, "job-1");
    }

    @Test
    void roundTripsEveryColumnType() {
        RowEvent in = sample();
        RowEvent out = RowEventCodec.decode(RowEventCodec.encode(in));
        assertEquals(in.origin(), out.origin());
        assertEquals(in.destination(), out.destination());
        assertEquals("job-1", out.jobId());
        assertEquals(List.copyOf(in.columns().keySet()), List.copyOf(out.columns().keySet()), "column order is kept");
        for (String name : in.columns().keySet()) {
            Object a = in.columns().get(name), b = out.columns().get(name);
            if (a instanceof byte[] x) assertArrayEquals(x, (byte[]) b, name);
            else assertEquals(a, b, name);
        }
        assertEquals(Double.doubleToRawLongBits(-0.0d), Double.doubleToRawLongBits((Double) out.columns().get("d")));
    }

    @Test
    void nullKeyNoHeadersNoJobNoColumns() {
        RowEvent in = new RowEvent(new Origin("t", 0, 0, -1, null, null), Destination.table("x"), Map.of());
        RowEvent out = RowEventCodec.decode(RowEventCodec.encode(in));
        assertNull(out.origin().key());
        assertNull(out.jobId());
        assertEquals(0, out.columns().size());
        assertEquals(-1, out.origin().timestamp());
    }

    @Test
    void emptyKeyIsNotNull() {
        RowEvent in = new RowEvent(new Origin("t", 0, 0, 0, new byte[0], null), Destination.table("x"), Map.of());
        assertArrayEquals(new byte[0], RowEventCodec.decode(RowEventCodec.encode(in)).origin().key());
    }

    @Test
    void refusesForeignOrCorruptBytes() {
        assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decode(null));
        assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decode("{\"a\":1}".getBytes()));
        byte[] good = RowEventCodec.encode(sample());
        byte[] wrongVersion = good.clone();
        wrongVersion[1] = 99;
        assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decode(wrongVersion));
        for (int cut = 2; cut < good.length; cut += 3) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decode(truncated), "cut at " + cut);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decode(trailing));
    }

    @Test
    void keepsTheOffsetARowIsChainedAfterAndReadsUnchainedVersionOneEvents() {
        RowEvent chained = new RowEvent(new Origin("t", 2, 41, 0, null, null), Destination.table("x"), Map.of("a", 1L))
                .chainedAfter(37);
        assertEquals(37, RowEventCodec.decode(RowEventCodec.encode(chained)).chainedAfter());
        assertEquals(-1, RowEventCodec.decode(RowEventCodec.encode(chained.chainedAfter(-1))).chainedAfter());
        assertThrows(IllegalArgumentException.class, () -> chained.chainedAfter(41), "a row cannot follow itself");

        RowEvent empty = new RowEvent(new Origin("t", 0, 3, -1, null, null), Destination.table("x"), Map.of());
        byte[] v2 = RowEventCodec.encode(empty);
        assertEquals(0, v2[v2.length - 2], "no chain: 0, before the column count");
        byte[] v1 = Arrays.copyOf(v2, v2.length - 1); // version 1: no chain field
        v1[1] = 1;
        RowEvent old = RowEventCodec.decode(v1);
        assertEquals(empty.origin(), old.origin());
        assertEquals(-1, old.chainedAfter());
    }

    @Test
    void rejectsUnsupportedValueTypesAtConstruction() {
        Map<String, Object> cols = new LinkedHashMap<>();
        cols.put("i", 1); // Integer is not a carried type: producers normalise to Long
        assertThrows(IllegalArgumentException.class,
                () -> new RowEvent(new Origin("t", 0, 0, 0, null, null), Destination.table("x"), cols));
    }

    /** getBytes(UTF_8) would write "x?y": the text must never reach the rows topic altered. */
    @Test
    void textUtf8CannotCarryIsRefusedNotAltered() {
        Origin origin = new Origin("t", 0, 7, 1, null, List.of());
        DirtyRecordException value = assertThrows(DirtyRecordException.class, () -> RowEventCodec.encode(
                new RowEvent(origin, Destination.table("x"), Map.of("s", "x\ud800y"))));
        assertEquals(DirtyRecordException.Stage.DECODE, value.stage());
        assertEquals("the value of column \"s\" holds a lone UTF-16 surrogate \\uD800 at character 2 (an escape without its"
                + " pair), which UTF-8 cannot encode", value.getMessage());
        DirtyRecordException name = assertThrows(DirtyRecordException.class, () -> RowEventCodec.encode(
                new RowEvent(origin, Destination.table("x"), Map.of("k\udc01", 1L))));
        assertTrue(name.getMessage().startsWith("a column name \"k\\uDC01\" holds a lone"), name.getMessage());
        DirtyRecordException json = assertThrows(DirtyRecordException.class, () -> RowEventCodec.encode(
                new RowEvent(origin, Destination.table("x"), Map.of("j", new JsonText("[\"\ud800\"]")))));
        assertTrue(json.getMessage().startsWith("the JSON of column \"j\""), json.getMessage());
        DirtyRecordException header = assertThrows(DirtyRecordException.class, () -> RowEventCodec.encode(
                new RowEvent(new Origin("t", 0, 7, 1, null, List.of(new Header("h\ud800", null))), Destination.table("x"), Map.of())));
        assertTrue(header.getMessage().startsWith("a header name"), header.getMessage());
        DirtyRecordException partition = assertThrows(DirtyRecordException.class, () -> RowEventCodec.encode(
                new RowEvent(origin, new Destination("x", Map.of("ds", "2022\ud800")), Map.of())));
        assertTrue(partition.getMessage().startsWith("the partition value of \"ds\""), partition.getMessage());

        Map<String, Object> fine = new LinkedHashMap<>();
        fine.put("q", "what? ¿qué? 😀");
        fine.put("?", "?");
        RowEvent ok = new RowEvent(origin, Destination.table("x"), fine);
        assertEquals(fine, RowEventCodec.decode(RowEventCodec.encode(ok)).columns(), "question marks and pairs are fine");
    }
}
