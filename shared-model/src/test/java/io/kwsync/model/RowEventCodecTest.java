package io.kwsync.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
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

    }

    /** Bytes written by the version-2 codec (before row operations existed), kept verbatim. */
    static final String VERSION_2 = "cb02066f72646572730300000000000003e8000001849d14d8e0036b31010168027608745f6f72646572730102647308"
            + "323032323131323200e7070602696402000000000000002a046e616d6505036164610570726963650404392e353003726177060301"
            + "0203646f6307077b2278223a317d04676f6e6500";
    /** The same row as version 1 wrote it: no chain field, no operation. */
    static final String VERSION_1 = "cb01066f72646572730300000000000003e8000001849d14d8e0036b31010168027608745f6f72646572730102647308"
            + "3230323231313232000602696402000000000000002a046e616d6505036164610570726963650404392e35300372617706030102"
            + "03646f6307077b2278223a317d04676f6e6500";

    @Test
    void readsStoredVersionOneAndTwoEventsAsUpserts() {
        RowEvent v2 = RowEventCodec.decode(HexFormat.of().parseHex(VERSION_2));
        RowEvent v1 = RowEventCodec.decode(HexFormat.of().parseHex(VERSION_1));
        for (RowEvent e : List.of(v1, v2)) {
            assertEquals(RowOperation.UPSERT, e.operation());
            assertEquals(new Origin("orders", 3, 1000, 1_669_082_700_000L, "k1".getBytes(StandardCharsets.UTF_8),
                    List.of(new Header("h", "v".getBytes(StandardCharsets.UTF_8)))), e.origin());
            assertEquals(new Destination("t_orders", Map.of("ds", "20221122")), e.destination());
            assertNull(e.jobId());
            assertEquals(List.of("id", "name", "price", "raw", "doc", "gone"), List.copyOf(e.columns().keySet()));
            assertEquals(42L, e.columns().get("id"));
            assertEquals("ada", e.columns().get("name"));
            assertEquals(new BigDecimal("9.50"), e.columns().get("price"));
            assertArrayEquals(new byte[]{1, 2}, (byte[]) e.columns().get("raw"));
            assertEquals(new JsonText("{\"x\":1}"), e.columns().get("doc"));
            assertNull(e.columns().get("gone"));
        }
        assertEquals(998, v2.chainedAfter());
        assertEquals(-1, v1.chainedAfter());
    }

    @Test
    void versionThreeCarriesTheOperation() {
        RowEvent upsert = new RowEvent(new Origin("t", 1, 9, 0, "k".getBytes(StandardCharsets.UTF_8), null),
                Destination.table("x"), Map.of("id", 7L), null, 8);
        RowEvent delete = upsert.withOperation(RowOperation.DELETE);
        byte[] bytes = RowEventCodec.encode(delete);
        assertEquals(3, bytes[1], "format version");
        RowEvent out = RowEventCodec.decode(bytes);
        assertEquals(RowOperation.DELETE, out.operation());
        assertEquals(8, out.chainedAfter());
        assertEquals(Map.of("id", 7L), out.columns());
        assertEquals(RowOperation.DELETE, delete.chainedAfter(5).operation(), "re-chaining keeps the operation");
        assertEquals(RowOperation.UPSERT, RowEventCodec.decode(RowEventCodec.encode(upsert)).operation());
        assertEquals(RowOperation.UPSERT, sample().operation(), "the default");

        byte[] unknownOperation = RowEventCodec.encode(upsert);
        int op = unknownOperation.length - 1 - 1 - 2 - 1 - 8 - 1; // before: count, name "id", tag, i64
        assertEquals(0, unknownOperation[op]);
        unknownOperation[op] = 9;
        assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decode(unknownOperation));
    }

    @Test
    void anUnknownValueTypeTagIsRefused() {
        RowEvent e = new RowEvent(new Origin("t", 1, 9, 0, null, null), Destination.table("x"), Map.of("id", 7L));
        for (byte tag : new byte[]{8, -1, 127}) {
            byte[] bytes = RowEventCodec.encode(e);
            int at = bytes.length - 1 - 8; // the last column's tag, before its eight bytes
            assertEquals(2, bytes[at], "the tag of a long");
            bytes[at] = tag;
            assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decode(bytes), "tag " + tag);
        }
    }

    /** A version-3 delete as ingest-service wrote it before version 4 existed (offset 1000, chained after 998). */
    private static final String VERSION_3 = "cb03066f72646572730300000000000003e8000001849d14d8e0036b310101680276087"
            + "45f6f72646572730102647308323032323131323200e707010202696402000000000000002a046e616d650503616461";

    @Test
    void readsStoredVersionThreeEventsAsTheOnlyRowOfTheirRecord() {
        List<RowEvent> rows = RowEventCodec.decodeAll(HexFormat.of().parseHex(VERSION_3));
        assertEquals(1, rows.size());
        RowEvent e = rows.get(0);
        assertEquals(RowOperation.DELETE, e.operation());
        assertEquals(998, e.chainedAfter());
        assertEquals(1000, e.origin().offset());
        assertEquals(new Destination("t_orders", Map.of("ds", "20221122")), e.destination());
        assertEquals(Map.of("id", 42L, "name", "ada"), e.columns());
        assertEquals(0, e.rowIndex());
        assertEquals(1, e.rowCount());
        assertEquals(e, RowEventCodec.decode(HexFormat.of().parseHex(VERSION_3)));
    }

    static List<RowEvent> threeRows() {
        Origin origin = new Origin("canal", 2, 77, 5, "k".getBytes(StandardCharsets.UTF_8),
                List.of(new Header("h", "v".getBytes(StandardCharsets.UTF_8))));
        return List.of(
                new RowEvent(origin, new Destination("a", Map.of("ds", "1")), Map.of("id", 1L, "v", "x"), null, -1),
                new RowEvent(origin, new Destination("b", Map.of()), Map.of("id", 2L), null, -1, RowOperation.DELETE),
                new RowEvent(origin, new Destination("a", Map.of("ds", "2")), Map.of(), null, -1));
    }

    @Test
    void theRowsOfOneRecordTravelTogetherAsVersionFour() {
        List<RowEvent> in = threeRows();
        byte[] bytes = RowEventCodec.encode(in, 70);
        assertEquals(4, bytes[1], "format version");
        List<RowEvent> out = RowEventCodec.decodeAll(bytes);
        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++) {
            RowEvent r = out.get(i);
            assertEquals(in.get(i).origin(), r.origin());
            assertEquals(in.get(i).destination(), r.destination());
            assertEquals(in.get(i).columns(), r.columns());
            assertEquals(in.get(i).operation(), r.operation());
            assertEquals(70, r.chainedAfter());
            assertNull(r.jobId());
            assertEquals(i, r.rowIndex());
            assertEquals(3, r.rowCount());
        }
        assertEquals(3, RowEvent.recordEnd(out, 0));
        assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decode(bytes), "one row expected");

        byte[] single = RowEventCodec.encode(in.subList(0, 1), 70);
        assertEquals(3, single[1], "one row is still written as version 3");
        assertArrayEquals(RowEventCodec.encode(in.get(0), 70), single);
    }

    @Test
    void aTruncatedOrPaddedVersionFourRecordIsRefused() {
        byte[] bytes = RowEventCodec.encode(threeRows(), -1);
        for (int n = 2; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decodeAll(cut), "cut at " + n);
        }
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decodeAll(padded));
    }

    @Test
    void rowsOfDifferentRecordsCannotShareOne() {
        List<RowEvent> rows = new java.util.ArrayList<>(threeRows());
        rows.add(new RowEvent(new Origin("canal", 2, 78, 5, null, null), Destination.table("a"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> RowEventCodec.encode(rows, -1));
        assertThrows(IllegalArgumentException.class, () -> rows.get(0).asRow(3, 3));
    }

    @Test
    void aRecordEndsWhereTheNextRecordOrADuplicateOfItStarts() {
        List<RowEvent> rows = new java.util.ArrayList<>();
        for (RowEvent r : RowEventCodec.decodeAll(RowEventCodec.encode(threeRows(), -1))) rows.add(r);
        rows.addAll(RowEventCodec.decodeAll(RowEventCodec.encode(threeRows(), -1))); // the same record published twice
        assertEquals(3, RowEvent.recordEnd(rows, 0));
        assertEquals(6, RowEvent.recordEnd(rows, 3));
        assertEquals(1, RowEvent.recordEnd(List.of(sample(), sample()), 0));
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

    /** The check reads eight bytes at a time: a lone surrogate is found wherever it sits in a long value. */
    @Test
    void aLoneSurrogateIsFoundAtEveryPositionOfALongValue() {
        Origin origin = new Origin("t", 0, 7, 1, null, List.of());
        for (int at = 0; at < 20; at++) {
            String s = "a".repeat(at) + "\ud800" + "b".repeat(19 - at);
            assertThrows(DirtyRecordException.class, () -> RowEventCodec.encode(
                    new RowEvent(origin, Destination.table("x"), Map.of("s", s))), "surrogate at " + at);
            String q = "a".repeat(at) + "?" + "b".repeat(19 - at);
            assertEquals(q, RowEventCodec.decode(RowEventCodec.encode(
                    new RowEvent(origin, Destination.table("x"), Map.of("s", q)))).columns().get("s"), "'?' at " + at);
        }
    }

    /** Names are encoded once and then reused: a refused name stays refused, and names sharing a slot stay apart. */
    @Test
    void namesAreRememberedOnlyOnceChecked() {
        Origin origin = new Origin("t", 0, 7, 1, null, List.of());
        for (int round = 0; round < 2; round++) {
            assertThrows(DirtyRecordException.class, () -> RowEventCodec.encode(
                    new RowEvent(origin, Destination.table("x"), Map.of("a\ud800", 1L))), "round " + round);
        }
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) many.put("column_" + i, (long) i);
        RowEvent row = new RowEvent(origin, Destination.table("x"), many);
        for (int round = 0; round < 2; round++) {
            assertEquals(many, RowEventCodec.decode(RowEventCodec.encode(row)).columns(), "round " + round);
        }
    }
}
