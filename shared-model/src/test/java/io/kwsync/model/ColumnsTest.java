package io.kwsync.model;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnsTest {

    private static final Origin ORIGIN = new Origin("t", 0, 7, 1, null, List.of());

    @Test
    void keepsOrderAndBehavesLikeTheMapItCopies() {
        Map<String, Object> source = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) source.put("c" + (59 - i), i % 3 == 0 ? null : (Object) ("v" + i));
        Map<String, Object> columns = new RowEvent(ORIGIN, Destination.table("x"), source).columns();
        assertEquals(new ArrayList<>(source.keySet()), new ArrayList<>(columns.keySet()));
        assertEquals(source, columns);
        assertEquals(columns, source);
        assertEquals(source.hashCode(), columns.hashCode());
        assertEquals(source.toString(), columns.toString());
        assertEquals("v1", columns.get(new String("c58")), "found by an equal name, not only the same instance");
        assertNull(columns.get("c59"));
        assertTrue(columns.containsKey("c59"), "a null value is a column");
        assertFalse(columns.containsKey("nope"));
        assertFalse(columns.containsKey(null));
    }

    @Test
    void cannotBeChanged() {
        Map<String, Object> columns = new RowEvent(ORIGIN, Destination.table("x"), Map.of("a", 1L)).columns();
        assertThrows(UnsupportedOperationException.class, () -> columns.put("b", 2L));
        assertThrows(UnsupportedOperationException.class, () -> columns.remove("a"));
        assertThrows(UnsupportedOperationException.class, () -> columns.entrySet().iterator().next().setValue(3L));
        assertThrows(UnsupportedOperationException.class, () -> columns.keySet().clear());
        Map<String, Object> source = new LinkedHashMap<>(Map.of("a", 1L));
        RowEvent row = new RowEvent(ORIGIN, Destination.table("x"), source);
        source.put("a", 2L);
        assertEquals(1L, row.columns().get("a"), "a copy, not a view");
    }

    @Test
    void refusesWhatRowsCannotCarry() {
        Map<String, Object> badValue = new LinkedHashMap<>();
        badValue.put("a", 1); // an Integer: rows carry Long
        assertThrows(IllegalArgumentException.class, () -> new RowEvent(ORIGIN, Destination.table("x"), badValue));
        Map<String, Object> nullName = new LinkedHashMap<>();
        nullName.put(null, 1L);
        assertThrows(NullPointerException.class, () -> new RowEvent(ORIGIN, Destination.table("x"), nullName));
    }

    @Test
    void anotherRowsColumnsAreTakenAsTheyAre() {
        RowEvent row = new RowEvent(ORIGIN, Destination.table("x"), Map.of("a", new BigDecimal("1.50")));
        assertSame(row.columns(), row.chainedAfter(3).columns());
    }

    /** Events our encoder writes never repeat a name; decoded ones that do behave as Map.put would: the later value wins. */
    @Test
    void aNameGivenAgainKeepsItsPlaceAndTakesTheLaterValue() {
        Columns.Builder b = new Columns.Builder(70);
        for (int i = 0; i < 64; i++) b.put("n" + i, (long) i);
        b.put(new String("n3"), "again");
        b.put("last", null);
        b.put("n63", "and again");
        Columns c = b.build();
        assertEquals(65, c.size());
        assertEquals("again", c.get("n3"));
        assertEquals("and again", c.get("n63"));
        List<String> names = new ArrayList<>(c.keySet());
        assertEquals("n3", names.get(3));
        assertEquals("last", names.get(64));
    }

    /** A row built column by column is taken by the row event as it is, and refuses a name given twice. */
    @Test
    void rowColumnsAreTakenWithoutACopyAndRefuseADuplicateName() {
        RowColumns built = new RowColumns(2);
        Map<String, Object> expected = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            assertTrue(built.add("n" + i, (long) i));
            expected.put("n" + i, (long) i);
        }
        assertFalse(built.add(new String("n150"), "again"), "an equal name of another instance");
        assertFalse(built.add("n0", null));
        Map<String, Object> columns = built.build();
        assertEquals(expected, columns);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(columns.keySet()));
        assertSame(columns, new RowEvent(ORIGIN, Destination.table("x"), columns).columns());
        assertThrows(IllegalStateException.class, () -> built.add("late", 1L));
        assertThrows(IllegalArgumentException.class, () -> new RowColumns(1).add("bad", new Object()));
        assertEquals(Map.of(), new RowColumns(0).build());
    }

    /** Columns proven free of lone surrogates are written without the scan, to the same bytes. */
    @Test
    void surrogateFreeColumnsEncodeToTheSameBytes() {
        RowColumns proven = new RowColumns(3);
        RowColumns plain = new RowColumns(3);
        for (RowColumns c : List.of(proven, plain)) {
            c.add("s", "h\u00e9llo? \uD83D\uDE00");
            c.add("n", 1L);
            c.add("j", new JsonText("{\"a\":\"?\"}"));
            c.add("z", null);
        }
        RowEvent fast = new RowEvent(ORIGIN, Destination.table("x"), proven.buildSurrogateFree());
        RowEvent checked = new RowEvent(ORIGIN, Destination.table("x"), plain.build());
        org.junit.jupiter.api.Assertions.assertArrayEquals(RowEventCodec.encode(checked), RowEventCodec.encode(fast));
        assertEquals(checked, RowEventCodec.decode(RowEventCodec.encode(fast)));
    }
}
