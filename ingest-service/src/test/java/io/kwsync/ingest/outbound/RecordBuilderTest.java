package io.kwsync.ingest.outbound;

import io.kwsync.ingest.mapping.KafkaType;
import io.kwsync.model.DirtyRecordException;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.FloatSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.ShortSerializer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Record building of the Kafka Writer, parameter by parameter, with the expected keys and values written from
 * DataWorks' documentation of its Kafka Writer (the examples it gives are used as they are).
 */
class RecordBuilderTest {

    static final ZoneId GMT8 = ZoneId.of("GMT+08:00");

    /** A layout under test: everything off, text values, STRING key and value. */
    record L(Integer keyIndex, List<Integer> keyIndexes, Integer valueIndex, WriteMode mode, List<JsonField> fields,
             String delimiter, String nullKey, String nullValue, KafkaType keyType, KafkaType valueType) {
        static L text() {
            return new L(null, null, null, WriteMode.TEXT, List.of(), "\t", null, null, KafkaType.STRING, KafkaType.STRING);
        }

        L keyIndex(int i) {
            return new L(i, null, valueIndex, mode, fields, delimiter, nullKey, nullValue, keyType, valueType);
        }

        L keyIndexes(Integer... i) {
            return new L(null, List.of(i), valueIndex, mode, fields, delimiter, nullKey, nullValue, keyType, valueType);
        }

        L valueIndex(int i) {
            return new L(keyIndex, keyIndexes, i, mode, fields, delimiter, nullKey, nullValue, keyType, valueType);
        }

        L json(String column) {
            return new L(keyIndex, keyIndexes, valueIndex, WriteMode.JSON, JsonField.parseList(column), delimiter, nullKey, nullValue,
                    keyType, valueType);
        }

        L delimiter(String written) {
            return new L(keyIndex, keyIndexes, valueIndex, mode, fields, FieldDelimiter.parse(written), nullKey, nullValue, keyType, valueType);
        }

        L nullKey(String f) {
            return new L(keyIndex, keyIndexes, valueIndex, mode, fields, delimiter, f, nullValue, keyType, valueType);
        }

        L nullValue(String f) {
            return new L(keyIndex, keyIndexes, valueIndex, mode, fields, delimiter, nullKey, f, keyType, valueType);
        }

        L types(KafkaType key, KafkaType value) {
            return new L(keyIndex, keyIndexes, valueIndex, mode, fields, delimiter, nullKey, nullValue, key, value);
        }

        RecordBuilder.KeyValue build(Object... row) {
            return new RecordBuilder(new RecordLayout(keyIndex, keyIndexes, valueIndex, mode, fields, delimiter, nullKey, nullValue,
                    keyType, valueType, GMT8)).build(row);
        }

        String value(Object... row) {
            byte[] v = build(row).value();
            return v == null ? null : new String(v, StandardCharsets.UTF_8);
        }

        String key(Object... row) {
            byte[] k = build(row).key();
            return k == null ? null : new String(k, StandardCharsets.UTF_8);
        }

        String dirty(Object... row) {
            DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> build(row));
            assertEquals(DirtyRecordException.Stage.MAP, e.stage());
            return e.getMessage();
        }
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
        return out;
    }

    // ---- the key: keyIndex, keyIndexes, nullKeyFormat

    @Test
    void keyIndexTakesOneColumnAndWithoutKeySettingsTheKeyIsNull() {
        assertEquals("b", L.text().keyIndex(1).key("a", "b", "c"));
        assertNull(L.text().build("a", "b").key(), "neither keyIndex nor keyIndexes: the key is null");
    }

    @Test
    void keyIndexesJoinTheirColumnsWithCommasInTheirOrder() {
        assertEquals("c,a", L.text().keyIndexes(2, 0).key("a", "b", "c"));
        assertEquals("1,2022-11-22 10:05:00", L.text().keyIndexes(0, 1).key(1L, LocalDateTime.of(2022, 11, 22, 10, 5)));
    }

    @Test
    void aNullKeyColumnIsNullKeyFormatWhenSetElseTheKeyIsNull() {
        assertNull(L.text().keyIndex(0).build(null, "v").key(), "not replaced without nullKeyFormat");
        assertEquals("NULL_KEY", L.text().keyIndex(0).nullKey("NULL_KEY").key(null, "v"));
        assertEquals("a,-", L.text().keyIndexes(0, 1).nullKey("-").key("a", null));
        assertEquals("a,", L.text().keyIndexes(0, 1).key("a", null), "inside a joined key a null column is empty text");
        assertEquals("v", L.text().keyIndex(0).nullKey("NULL_KEY").nullValue("NV").valueIndex(1).value(null, "v"),
                "nullKeyFormat is the key's, not the value's");
    }

    // ---- the value: valueIndex, writeMode text, fieldDelimiter, nullValueFormat

    @Test
    void valueIndexTakesOneColumnAndWriteModeIsThenIgnored() {
        assertEquals("b", L.text().valueIndex(1).value("a", "b", "c"));
        assertEquals("b", L.text().json("[\"x\"]").valueIndex(1).value("a", "b", "c"));
        assertNull(L.text().valueIndex(1).value("a", null), "a null column without nullValueFormat is a null value");
        assertEquals("\\N", L.text().valueIndex(1).nullValue("\\N").value("a", null));
    }

    @Test
    void textJoinsAllColumnsWithTheDelimiterAsInTheDocumentedExample() {
        // "the source record has three columns, a, b and c; writeMode text and fieldDelimiter # give a#b#c"
        assertEquals("a#b#c", L.text().delimiter("#").value("a", "b", "c"));
        assertEquals("a\tb\tc", L.text().value("a", "b", "c"), "the default delimiter is a tab");
        assertEquals("a||b", L.text().delimiter("||").value("a", "b"), "several characters");
        assertEquals("a\u0001b", L.text().delimiter("\\u0001").value("a", "b"), "a Unicode escape");
        assertEquals("a\nb", L.text().delimiter("\\n").value("a", "b"), "an escape character");
        assertEquals("k1#v", L.text().keyIndex(0).delimiter("#").value("k1", "v"), "the key column stays in the value");
    }

    @Test
    void inTextANullColumnIsNullValueFormatOrEmpty() {
        assertEquals("a##c", L.text().delimiter("#").value("a", null, "c"));
        assertEquals("a#NULL#c", L.text().delimiter("#").nullValue("NULL").value("a", null, "c"));
    }

    @Test
    void valuesBecomeTextAsTheOfflineWriterDocumentsIt() {
        assertEquals("true|false", L.text().delimiter("|").value(true, false), "booleans: true or false");
        assertEquals("-5|1.50|100000000000000000000|1.1|0.000001", L.text().delimiter("|")
                .value(-5L, new BigDecimal("1.50"), 1.0e20, 1.1f, 1.0e-6), "numbers: their digits, no exponent");
        assertEquals("2022-11-22 10:05:03", L.text().value(LocalDateTime.of(2022, 11, 22, 10, 5, 3, 123_000_000)),
                "date-times: yyyy-MM-dd HH:mm:ss");
        assertEquals("2022-11-22 10:05:03", L.text().value(OffsetDateTime.parse("2022-11-22T02:05:03Z")),
                "a date-time with a zone is shown in the job's zone");
        assertEquals("2022-11-22|10:05:03", L.text().delimiter("|").value(LocalDate.of(2022, 11, 22), LocalTime.of(10, 5, 3)));
        assertEquals("abc", L.text().value((Object) "abc".getBytes(StandardCharsets.UTF_8)), "bytes: read as UTF-8 text");
        assertEquals("[1,\"x\"]|{\"k\":true}", L.text().delimiter("|").value(List.of(1L, "x"), Map.of("k", true)));
    }

    // ---- the value: writeMode json, column and its types

    @Test
    void jsonNamesTheColumnsAsInTheDocumentedExample() {
        // "writeMode JSON and column [{"name":"col1"},{"name":"col2"},{"name":"col3"}] give {"col1":"a","col2":"b","col3":"c"}"
        assertEquals("{\"col1\":\"a\",\"col2\":\"b\",\"col3\":\"c\"}",
                L.text().json("[{\"name\":\"col1\"},{\"name\":\"col2\"},{\"name\":\"col3\"}]").value("a", "b", "c"));
    }

    @Test
    void eachJsonTypeConvertsAsItsDocumentedExample() {
        assertEquals("{\"col1\":\"123\"}", L.text().json("col1:JSON_STRING").value(123L), "integer 123 -> \"123\"");
        assertEquals("{\"col1\":1.23}", L.text().json("col1:JSON_NUMBER").value("1.23"), "string \"1.23\" -> 1.23");
        assertEquals("{\"col1\":true}", L.text().json("col1:JSON_BOOL").value("true"), "string \"true\" -> true");
        assertEquals("{\"col1\":[1,2,3]}", L.text().json("col1:JSON_ARRAY").value("[1,2,3]"), "string \"[1,2,3]\" -> [1,2,3]");
        assertEquals("{\"col1\":{\"k1\":\"v1\"}}", L.text().json("col1:JSON_MAP").value("{\"k1\":\"v1\"}"), "-> {\"k1\":\"v1\"}");
        assertEquals("{\"col1\":\"AQI=\"}", L.text().json("col1:JSON_BASE64").value((Object) bytes(1, 2)), "0x01 0x02 -> \"AQI=\"");
        assertEquals("{\"col1\":\"0102\"}", L.text().json("col1:JSON_HEX").value((Object) bytes(1, 2)), "0x01 0x02 -> \"0102\"");
    }

    @Test
    void jsonTypesTakeTheNaturalSourceTypesToo() {
        assertEquals("{\"n\":5,\"d\":1000,\"f\":1.1,\"b\":false,\"a\":[1,\"x\"],\"m\":{\"k\":2}}",
                L.text().json("n:JSON_NUMBER,d:json_number,f:JSON_NUMBER,b:JSON_BOOL,a:JSON_ARRAY,m:JSON_MAP")
                        .value(5L, new BigDecimal("1E+3"), 1.1f, Boolean.FALSE, List.of(1L, "x"), Map.of("k", 2L)));
        assertEquals("{\"b\":true,\"c\":false}", L.text().json("b:JSON_BOOL,c:JSON_BOOL").value(" TRUE ", 0L));
        assertEquals("{\"h\":\"616263\",\"s\":\"YWJj\"}", L.text().json("h:JSON_HEX,s:JSON_BASE64").value("abc", "abc"),
                "text is encoded as its UTF-8 bytes");
        assertEquals("{\"t\":\"2022-11-22 10:05:00\"}", L.text().json("t").value(LocalDateTime.of(2022, 11, 22, 10, 5)),
                "the default type is JSON_STRING");
    }

    @Test
    void moreSourceColumnsThanFieldsAreCutFewerAreFilledWithNullOrNullValueFormat() {
        assertEquals("{\"a\":\"1\",\"b\":\"2\"}", L.text().json("a,b").value(1L, 2L, 3L));
        assertEquals("{\"a\":\"1\",\"b\":null,\"c\":null}", L.text().json("a,b,c").value(1L));
        assertEquals("{\"a\":\"1\",\"b\":\"NA\"}", L.text().json("a,b").nullValue("NA").value(1L));
        assertEquals("{\"a\":null,\"b\":null}", L.text().json("a:JSON_BOOL,b:JSON_NUMBER").value(null, null),
                "a null column without nullValueFormat is JSON null, whatever its type");
        assertEquals("{\"n\":0}", L.text().json("n:JSON_NUMBER").nullValue("0").value((Object) null),
                "nullValueFormat stands for the value and converts like one");
    }

    @Test
    void aValueThatDoesNotConvertMakesTheRowDirtyWithTheReason() {
        String reason = L.text().json("col1:JSON_NUMBER").dirty("abc");
        assertTrue(reason.contains("col1") && reason.contains("JSON_NUMBER") && reason.contains("'abc'"), reason);
        assertTrue(L.text().json("b:JSON_BOOL").dirty("yes").contains("JSON_BOOL"));
        assertTrue(L.text().json("a:JSON_ARRAY").dirty("{\"k\":1}").contains("not JSON an array"));
        assertTrue(L.text().json("m:JSON_MAP").dirty("[1]").contains("not JSON an object"));
        assertTrue(L.text().json("m:JSON_MAP").dirty("{oops").contains("not JSON"));
        assertTrue(L.text().json("n:JSON_NUMBER").dirty(Double.NaN).contains("NaN"));
        assertTrue(L.text().json("n:JSON_NUMBER").dirty(LocalDate.of(2022, 1, 1)).contains("a date is not a number"));
        assertTrue(L.text().json("n:JSON_NUMBER").nullValue("\\N").dirty((Object) null).contains("'\\N'"),
                "a nullValueFormat that the type cannot take is dirty too");
    }

    // ---- keyType / valueType: Kafka's serializers

    @Test
    void numberTypesAreWrittenAsKafkasSerializersWriteThem() {
        assertArrayEquals(bytes(0, 0, 0, 1), L.text().keyIndex(0).types(KafkaType.INTEGER, KafkaType.STRING).build(1L, "v").key());
        assertArrayEquals(bytes(0, 0, 1, 2), L.text().keyIndex(0).types(KafkaType.INTEGER, KafkaType.STRING).build("258", "v").key());
        assertArrayEquals(bytes(0xFF, 0xFF), L.text().valueIndex(0).types(KafkaType.STRING, KafkaType.SHORT).build(-1L).value());
        assertArrayEquals(bytes(0x3F, 0xC0, 0, 0), L.text().valueIndex(0).types(KafkaType.STRING, KafkaType.FLOAT).build(1.5).value());
        assertArrayEquals(bytes(0x3F, 0xF8, 0, 0, 0, 0, 0, 0), L.text().valueIndex(0).types(KafkaType.STRING, KafkaType.DOUBLE)
                .build("1.5").value());
        assertArrayEquals(bytes(0, 0, 1, 0, 0, 0, 0, 0), L.text().valueIndex(0).types(KafkaType.STRING, KafkaType.LONG)
                .build(1L << 40).value());
        // and byte for byte what Kafka's own serializers give, for the limits of each type
        for (long v : new long[]{Short.MIN_VALUE, -1, 0, 1, Short.MAX_VALUE}) {
            assertArrayEquals(new ShortSerializer().serialize("t", (short) v), serialize(KafkaType.SHORT, v));
        }
        for (long v : new long[]{Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}) {
            assertArrayEquals(new IntegerSerializer().serialize("t", (int) v), serialize(KafkaType.INTEGER, v));
        }
        for (long v : new long[]{Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}) {
            assertArrayEquals(new LongSerializer().serialize("t", v), serialize(KafkaType.LONG, v));
        }
        for (String v : new String[]{"0.1", "-3.4028235E38", "NaN", "-Infinity"}) {
            assertArrayEquals(new FloatSerializer().serialize("t", Float.parseFloat(v)), serialize(KafkaType.FLOAT, v));
            assertArrayEquals(new DoubleSerializer().serialize("t", Double.parseDouble(v)), serialize(KafkaType.DOUBLE, v));
        }
        assertArrayEquals(new FloatSerializer().serialize("t", 1.1f), serialize(KafkaType.FLOAT, 1.1f), "a FLOAT column stays itself");
    }

    static byte[] serialize(KafkaType type, Object v) {
        return L.text().valueIndex(0).types(KafkaType.STRING, type).build(v).value();
    }

    @Test
    void stringIsUtf8AndByteArrayKeepsBinaryColumnsAsTheyAre() {
        assertArrayEquals(bytes(0xC3, 0xA9), serialize(KafkaType.STRING, "é"));
        assertArrayEquals(bytes(0xC3, 0xA9), serialize(KafkaType.BYTEARRAY, "é"), "text: its UTF-8 bytes");
        assertArrayEquals(bytes(0xFF, 0x00, 0x80), serialize(KafkaType.BYTEARRAY, bytes(0xFF, 0x00, 0x80)), "binary: unchanged");
        assertArrayEquals("{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                L.text().json("a").types(KafkaType.STRING, KafkaType.BYTEARRAY).build("x").value());
    }

    @Test
    void aValueTheTypeCannotHoldMakesTheRowDirty() {
        assertTrue(dirty(KafkaType.INTEGER, "abc").contains("value 'abc' cannot be written as INTEGER: it is not a number"));
        assertTrue(dirty(KafkaType.SHORT, 40000L).contains("is outside -32768..32767"));
        assertTrue(dirty(KafkaType.LONG, new BigDecimal("1.5")).contains("has a fraction"));
        assertTrue(dirty(KafkaType.LONG, true).contains("is not a number"));
        assertTrue(dirty(KafkaType.FLOAT, 1e300).contains("outside the range of FLOAT"));
        assertTrue(dirty(KafkaType.DOUBLE, "0x1p3").contains("is not a number"), "only decimal text");
        assertEquals(7L, java.nio.ByteBuffer.wrap(serialize(KafkaType.LONG, new BigDecimal("7.000"))).getLong(),
                "a whole DECIMAL is fine");
        String key = L.text().keyIndex(0).types(KafkaType.INTEGER, KafkaType.STRING).dirty("x", "v");
        assertTrue(key.startsWith("key 'x'"), key);
        assertTrue(L.text().types(KafkaType.STRING, KafkaType.INTEGER).dirty("1", "2").contains("'1\t2'"),
                "joined text is no number");
    }

    static String dirty(KafkaType type, Object v) {
        return L.text().valueIndex(0).types(KafkaType.STRING, type).dirty(v);
    }

    @Test
    void nullStaysNullWhateverTheType() {
        for (KafkaType t : KafkaType.values()) {
            RecordBuilder.KeyValue kv = L.text().keyIndex(0).valueIndex(1).types(t, t).build(null, null);
            assertNull(kv.key(), t.name());
            assertNull(kv.value(), t.name());
        }
    }

    @Test
    void columnsNeededIsOneMoreThanTheHighestIndexUsed() {
        assertEquals(0, new RecordLayout(null, null, null, WriteMode.TEXT, List.of(), "\t", null, null, KafkaType.STRING,
                KafkaType.STRING, GMT8).columnsNeeded());
        assertEquals(5, new RecordLayout(null, List.of(4, 1), 2, WriteMode.TEXT, List.of(), "\t", null, null, KafkaType.STRING,
                KafkaType.STRING, GMT8).columnsNeeded());
    }
}
