package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.type.TypeInfoFactory;
import com.aliyun.odps.type.TypeInfoParser;
import io.kwsync.model.JsonText;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Value conversions into the table's column types: what converts without loss, and why the rest is refused. */
class RecordFillerTest {

    static final String[][] COLUMNS = {{"s", "STRING"}, {"b", "BINARY"}, {"l", "BIGINT"}, {"i", "INT"}, {"d", "DOUBLE"},
            {"m", "DECIMAL(12,2)"}, {"f", "BOOLEAN"}, {"dt", "DATETIME"}, {"day", "DATE"}, {"Mixed_Case", "STRING"}};
    static final TableInfo TABLE;

    static {
        TableSchema schema = new TableSchema();
        for (String[] c : COLUMNS) schema.addColumn(new Column(c[0], TypeInfoParser.getTypeInfoFromTypeString(c[1])));
        schema.addPartitionColumn(new Column("pt", TypeInfoFactory.STRING));
        TABLE = new TableInfo("t", null, schema, false);
    }

    static ArrayRecord fill(Map<String, Object> row) throws RecordFiller.Refused {
        ArrayRecord r = new ArrayRecord(TABLE.schema.getColumns().toArray(new Column[0]));
        RecordFiller.fill(r, TABLE, row);
        return r;
    }

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void valuesConvertWhenNothingIsLost() throws Exception {
        ArrayRecord r = fill(row("s", 42L, "b", "text", "l", "7", "i", new BigDecimal("12"), "d", 1L, "m", "3.25",
                "f", "TRUE", "dt", 1_605_596_400_000L, "day", "2020-11-17", "mixed_case", new JsonText("{\"a\":1}")));
        assertEquals("42", r.getString("s"));
        assertArrayEquals("text".getBytes(StandardCharsets.UTF_8), ((Binary) r.get("b")).data());
        assertEquals(7L, r.getBigint("l"));
        assertEquals(12, r.get("i"));
        assertEquals(1.0, r.getDouble("d"));
        assertEquals(new BigDecimal("3.25"), r.getDecimal("m"));
        assertEquals(true, r.getBoolean("f"));
        assertEquals(1_605_596_400_000L, r.getDatetime("dt").getTime());
        assertEquals(LocalDate.of(2020, 11, 17), r.get("day"));
        assertEquals("{\"a\":1}", r.getString("Mixed_Case"), "names match case-insensitively");
    }

    @Test
    void bytesGoIntoStringColumnsUnchanged() throws Exception {
        byte[] raw = {(byte) 0xff, 0, 65};
        assertArrayEquals(raw, fill(row("s", raw)).getBytes("s"));
    }

    @Test
    void aReusedRecordForgetsThePreviousRow() throws Exception {
        ArrayRecord r = new ArrayRecord(TABLE.schema.getColumns().toArray(new Column[0]));
        RecordFiller.fill(r, TABLE, row("s", "first", "l", 1L));
        assertEquals(1, RecordFiller.fill(r, TABLE, row("l", 2L, "nope", "x")), "one unknown column");
        assertNull(r.get("s"));
        assertEquals(2L, r.getBigint("l"));
    }

    @Test
    void oneFillerTakesRowsWhoseColumnsComeInAnyOrder() throws Exception {
        ArrayRecord r = new ArrayRecord(TABLE.schema.getColumns().toArray(new Column[0]));
        RecordFiller filler = new RecordFiller(TABLE, r);
        filler.fill(row("s", "first", "l", 1L));
        assertEquals("first", r.getString("s"));
        assertEquals(1L, r.getBigint("l"));
        assertEquals(1, filler.fill(row("l", 2L, "nope", "x", "s", "second")), "one unknown column, names in other places");
        assertEquals("second", r.getString("s"));
        assertEquals(2L, r.getBigint("l"));
        RecordFiller.Refused e = assertThrows(RecordFiller.Refused.class, () -> filler.fill(row("s", "third", "l", "x1", "i", 5L)));
        assertTrue(e.getMessage().startsWith("column l (BIGINT): "), e.getMessage());
        assertEquals(0, filler.fill(row("i", 3L, "s", "fourth")), "a refused row leaves nothing behind for the next");
        assertNull(r.get("l"));
        assertEquals(3, r.get("i"));
        assertEquals("fourth", r.getString("s"));
        assertThrows(RecordFiller.Refused.class, () -> filler.fill(row("#10", "x")), "a position beyond the table, every time");
        assertThrows(RecordFiller.Refused.class, () -> filler.fill(row("#10", "x")));
        assertEquals("zero", fillWith(filler, r, row("#0", "zero")).getString(0));
    }

    private static ArrayRecord fillWith(RecordFiller filler, ArrayRecord r, Map<String, Object> row) throws RecordFiller.Refused {
        filler.fill(row);
        return r;
    }

    @Test
    void valuesThatWouldLoseSomethingRefuseTheRow() {
        Object[][] cases = {{"l", "12.5", "'12.5' is not an integer"}, {"i", 3_000_000_000L, "out of range"},
                {"l", 1.5, "a Double is not an integer"}, {"f", "yes", "'yes' is not a boolean"},
                {"b", new byte[0], null}, {"dt", "2020-11-17", "is not an ISO-8601 date-time with an offset"}, {"#10", "x", "has no column"},
                {"day", "17.11.2020", "is not a date"}, {"d", new JsonText("[1]"), "a JSON structure is not a number"}};
        for (Object[] c : cases) {
            if (c[2] == null) continue;
            RecordFiller.Refused e = assertThrows(RecordFiller.Refused.class, () -> fill(row((String) c[0], c[1])), c[0] + "=" + c[1]);
            assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
        }
    }

    @Test
    void positionsAddressTheDataColumnsInOrder() throws Exception {
        ArrayRecord r = fill(row("#0", "zero", "#2", "2"));
        assertEquals("zero", r.getString(0));
        assertEquals(2L, r.getBigint(2));
    }
}
