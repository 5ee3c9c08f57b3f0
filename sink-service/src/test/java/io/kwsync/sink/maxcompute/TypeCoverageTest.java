package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Char;
import com.aliyun.odps.data.JsonValue;
import com.aliyun.odps.data.SimpleStruct;
import com.aliyun.odps.data.Varchar;
import com.aliyun.odps.type.TypeInfoParser;
import io.kwsync.model.JsonText;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every MaxCompute 2.0 type the SDK writes: what each takes from JSON values and what it refuses, with the reason the
 * error topic carries (docs/maxcompute.md, "Column types").
 */
class TypeCoverageTest {

    static final String[][] COLUMNS = {{"ti", "TINYINT"}, {"si", "SMALLINT"}, {"i", "INT"}, {"bi", "BIGINT"}, {"fl", "FLOAT"},
            {"do", "DOUBLE"}, {"de", "DECIMAL(10,2)"}, {"vc", "VARCHAR(5)"}, {"ch", "CHAR(3)"}, {"st", "STRING"}, {"bo", "BOOLEAN"},
            {"da", "DATE"}, {"dt", "DATETIME"}, {"ts", "TIMESTAMP"}, {"ntz", "TIMESTAMP_NTZ"}, {"js", "JSON"},
            {"tags", "ARRAY<STRING>"}, {"counts", "MAP<STRING,BIGINT>"}, {"item", "STRUCT<id:BIGINT,name:STRING,sizes:ARRAY<INT>>"},
            {"iv", "INTERVAL_DAY_TIME"}};
    static final TableInfo TABLE;

    static {
        TableSchema schema = new TableSchema();
        for (String[] c : COLUMNS) schema.addColumn(new Column(c[0], TypeInfoParser.getTypeInfoFromTypeString(c[1])));
        TABLE = new TableInfo("t", null, schema, false);
    }

    static ArrayRecord fill(Object... kv) throws RecordFiller.Refused {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        ArrayRecord r = new ArrayRecord(TABLE.schema.getColumns().toArray(new Column[0]));
        RecordFiller.fill(r, TABLE, m);
        return r;
    }

    @Test
    void everyTypeTakesItsJsonValues() throws Exception {
        ArrayRecord r = fill("ti", 7L, "si", "-300", "i", new BigDecimal("70000"), "bi", 1L << 40, "fl", new BigDecimal("1.5"),
                "do", 2.25, "de", new BigDecimal("12.3"), "vc", "abcde", "ch", "ab", "st", 5L, "bo", true, "da", "2020-11-17",
                "dt", "2020-11-17T06:30:00Z", "ts", "2020-11-17T14:30:00.123456789+08:00", "ntz", "2020-11-17 14:30:00.5",
                "js", new JsonText("{\"a\":[1,true,null]}"), "tags", new JsonText("[\"x\",null,\"z\"]"),
                "counts", new JsonText("{\"a\":1,\"b\":\"2\"}"), "item", new JsonText("{\"ID\":9,\"name\":\"n\",\"sizes\":[1,2]}"));
        assertEquals((byte) 7, r.get("ti"));
        assertEquals((short) -300, r.get("si"));
        assertEquals(70000, r.get("i"));
        assertEquals(1L << 40, r.get("bi"));
        assertEquals(1.5f, r.get("fl"));
        assertEquals(2.25, r.get("do"));
        assertEquals(new BigDecimal("12.30"), r.get("de"), "at the column's scale");
        assertEquals(new Varchar("abcde"), r.get("vc"));
        assertEquals(new Char("ab"), r.get("ch"));
        assertEquals("5", r.getString("st"));
        assertEquals(Instant.parse("2020-11-17T06:30:00Z"), r.getDatetime("dt").toInstant());
        assertEquals(Timestamp.from(Instant.parse("2020-11-17T06:30:00.123456789Z")), r.get("ts"), "nanoseconds kept");
        assertEquals(LocalDateTime.of(2020, 11, 17, 14, 30, 0, 500_000_000), r.get("ntz"));
        assertEquals("{\"a\":[1,true,null]}", ((JsonValue) r.get("js")).toString());
        assertEquals(Arrays.asList("x", null, "z"), r.get("tags"));
        assertEquals(Map.of("a", 1L, "b", 2L), r.get("counts"));
        SimpleStruct item = (SimpleStruct) r.get("item");
        assertEquals(List.of(9L, "n", List.of(1, 2)), item.getFieldValues(), "fields by name in any case, nested converted");
    }

    @Test
    void jsonTakesScalarsAsJsonValuesAndStructsMissFieldsAsNull() throws Exception {
        assertEquals("\"text\"", ((JsonValue) fill("js", "text").get("js")).toString());
        assertEquals("12", ((JsonValue) fill("js", 12L).get("js")).toString());
        SimpleStruct item = (SimpleStruct) fill("item", new JsonText("{\"id\":1}")).get("item");
        assertEquals(1L, item.getFieldValue("id"));
        assertNull(item.getFieldValue("name"));
        assertEquals(LocalDateTime.of(2020, 11, 17, 6, 30), fill("ntz", 1_605_594_600_000L).get("ntz"), "epoch millis as UTC");
    }

    @Test
    void valuesThatDoNotFitAreRefusedWithTheReason() {
        Object[][] cases = {
                {"ti", 200L, "out of range"},
                {"de", new BigDecimal("1.234"), "more than 2 decimal places"},
                {"de", new BigDecimal("123456789.5"), "does not fit decimal(10,2)"},
                {"vc", "abcdef", "more than varchar(5) takes"},
                {"ch", "abcd", "more than char(3) takes"},
                {"dt", "2020-11-17 14:30:00", "not an ISO-8601 date-time with an offset"},
                {"ntz", "2020-11-17T14:30:00Z", "not a date-time without a zone"},
                {"js", new byte[]{1}, "is not a JSON value"},
                {"tags", "x", "expects a JSON array"},
                {"tags", new JsonText("{\"a\":1}"), "expects a JSON array"},
                {"counts", new JsonText("{\"a\":\"many\"}"), ".a: 'many' is not an integer"},
                {"counts", new JsonText("[1]"), "expects a JSON object"},
                {"item", new JsonText("{\"id\":1,\"colour\":\"red\"}"), "has no field colour"},
                {"item", new JsonText("{\"sizes\":[1,\"big\"]}"), "sizes[1]: 'big' is not an integer"},
                {"iv", "1 day", "does not write interval_day_time"},
        };
        for (Object[] c : cases) {
            RecordFiller.Refused e = assertThrows(RecordFiller.Refused.class, () -> fill(c[0], c[1]), c[0] + "=" + c[1]);
            assertTrue(e.getMessage().toLowerCase().contains(((String) c[2]).toLowerCase()), c[0] + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("column " + c[0] + " ("), e.getMessage());
        }
    }
}
