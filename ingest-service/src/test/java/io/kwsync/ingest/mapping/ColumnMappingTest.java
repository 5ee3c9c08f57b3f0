package io.kwsync.ingest.mapping;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Header;
import io.kwsync.model.JsonText;
import io.kwsync.model.Origin;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColumnMappingTest {

    /** The example record value of DataWorks' Kafka-to-MaxCompute sync documentation, as written there. */
    static final String SPEC_RECORD = """
            {
            "a": {
            "a1": "hello"
            },
            "b": "world",
            "c": [
            "xxxxxxx",
            "yyyyyyy"
            ],
            "d": [
            { "AA": "this", "BB": "is_data" },
            { "AA": "that", "BB": "is_also_data" }
            ],
            "a.b": "unreachable"
            }""";

    static final Origin ORIGIN = new Origin("orders", 3, 42L, 1_669_111_200_123L, utf8("k-1"),
            List.of(new Header("trace", utf8("t-9"))));

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static ColumnMapping mapping(String text) {
        return ColumnMapping.parse(text, KafkaType.STRING, KafkaType.STRING, StandardCharsets.UTF_8);
    }

    static Map<String, Object> apply(String mapping, String value) {
        return mapping(mapping).apply(ORIGIN, utf8(value));
    }

    static Object one(String path, String json) {
        return apply(path + " => v", json).get("v");
    }

    static DirtyRecordException dirty(String mapping, byte[] value) {
        return assertThrows(DirtyRecordException.class, () -> mapping(mapping).apply(ORIGIN, value));
    }

    // -- DataWorks' table of JSON field definitions, row by row

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"a.a1, hello", "b, world", "c[1], yyyyyyy", "d[0].AA, this"})
    void specExampleRows(String definition, String retrieved) {
        assertEquals(retrieved, one(definition, SPEC_RECORD));
    }

    @Test
    void specExampleDottedKeyIsReportedNotSilentlyNull() {
        DirtyRecordException e = dirty("a.b => v", utf8(SPEC_RECORD));
        assertEquals(DirtyRecordException.Stage.MAP, e.stage());
        assertEquals("JSON path a.b found no value, but the JSON has a key named \"a.b\" at the top level; a key that"
                + " contains '.' is written in brackets: [\"a.b\"]", e.getMessage());
    }

    @Test
    void quotedKeyReachesWhatTheSpecCallsUnreachable() {
        assertEquals("unreachable", one("[\"a.b\"]", SPEC_RECORD));
    }

    @Test
    void allSpecDefinitionsInOneMappingParseTheValueOnce() {
        Map<String, Object> row = apply("a.a1 => a1, b, c[1] => c1, d[0].AA => aa, [\"a.b\"] => ab", SPEC_RECORD);
        assertEquals(List.of("a1", "b", "c1", "aa", "ab"), List.copyOf(row.keySet()));
        assertEquals(List.of("hello", "world", "yyyyyyy", "this", "unreachable"), List.copyOf(row.values()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "x.a.b|`{\"x\":{\"a.b\":1}}`|key named \"a.b\" in x; a key that contains '.' is written in brackets: x[\"a.b\"]",
            "a.b.c|`{\"a.b\":{\"c\":1}}`|key named \"a.b\" at the top level; a key that contains '.' is written in brackets: [\"a.b\"].c",
            "a.b.c|`{\"a.b.c\":1}`|key named \"a.b.c\" at the top level; a key that contains '.' is written in brackets: [\"a.b.c\"]",
            "d[1].e.f|`{\"d\":[0,{\"e.f\":2}]}`|key named \"e.f\" in d[1]; a key that contains '.' is written in brackets: d[1][\"e.f\"]",
    })
    void dottedMissesNameTheQuotedPathThatWouldWork(String path, String json, String message) {
        DirtyRecordException e = dirty(path + " => v", utf8(json));
        assertTrue(e.getMessage().endsWith(message), e.getMessage());
    }

    @Test
    void dottedPathThatResolvesIsNotReportedEvenIfALiteralKeyExistsToo() {
        assertEquals(1L, one("a.b", "{\"a\":{\"b\":1},\"a.b\":2}"));
    }

    // -- missing paths, types, whole structures

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "nope|`{\"a\":1}`",
            "a.a2|`{\"a\":{\"a1\":1}}`",
            "c[5]|`{\"c\":[1,2]}`",
            "b.x|`{\"b\":\"a string has no members\"}`",
            "b[0]|`{\"b\":{\"0\":\"an object is not an array\"}}`",
            "b.x|`{\"b\":[1]}`",
            "b|`[1,2]`",
            "[0]|`{\"0\":1}`",
            "b|`\"just a string\"`",
            "b|`null`",
            "b|`{\"b\":null}`",
    })
    void missingPathsAndNullsAreNull(String path, String json) {
        Map<String, Object> row = apply(path + " => v", json);
        assertTrue(row.containsKey("v"));
        assertNull(row.get("v"));
    }

    @Test
    void scalarsKeepTheirJsonTypesAndStructuresAreJsonText() {
        String json = """
                {"s":"text","i":42,"neg":-7,"f":9.75,"t":true,"no":false,"o":{"k":[1,{"z":null}]},"arr":[ 1 , 2 ],"e":{},"ea":[]}""";
        Map<String, Object> row = apply("s, i, neg, f, t, no, o, arr, e, ea", json);
        assertEquals("text", row.get("s"));
        assertEquals(42L, row.get("i"));
        assertEquals(-7L, row.get("neg"));
        assertEquals(new BigDecimal("9.75"), row.get("f"));
        assertEquals(Boolean.TRUE, row.get("t"));
        assertEquals(Boolean.FALSE, row.get("no"));
        assertEquals(new JsonText("{\"k\":[1,{\"z\":null}]}"), row.get("o"));
        assertEquals(new JsonText("[1,2]"), row.get("arr"));
        assertEquals(new JsonText("{}"), row.get("e"));
        assertEquals(new JsonText("[]"), row.get("ea"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "9223372036854775807|9223372036854775807",
            "-9223372036854775808|-9223372036854775808",
            "9223372036854775808|9223372036854775808",
            "-9223372036854775809|-9223372036854775809",
            "123456789012345678901234567890|123456789012345678901234567890",
            "1e400|1E+400",
            "-1e-400|-1E-400",
            "0.1000000000000000055511151231257827|0.1000000000000000055511151231257827",
    })
    void numbersOutOfLongAndDoubleRangeKeepEveryDigit(String number, String expected) {
        Object v = one("n", "{\"n\":" + number + "}");
        if (v instanceof Long l) assertEquals(expected, l.toString());
        else assertEquals(0, new BigDecimal(expected).compareTo((BigDecimal) v), () -> v.toString());
        if (!(v instanceof Long)) assertEquals(BigDecimal.class, v.getClass());
    }

    @Test
    void aStructureSelectedWholeCanAlsoBeReadBelow() {
        Map<String, Object> row = apply("d => all, d[1].BB => bb, d[0] => first", SPEC_RECORD);
        assertEquals(new JsonText("[{\"AA\":\"this\",\"BB\":\"is_data\"},{\"AA\":\"that\",\"BB\":\"is_also_data\"}]"), row.get("all"));
        assertEquals("is_also_data", row.get("bb"));
        assertEquals(new JsonText("{\"AA\":\"this\",\"BB\":\"is_data\"}"), row.get("first"));
    }

    @Test
    void topLevelArraysAreIndexed() {
        assertEquals("b", one("[1].x", "[{\"x\":\"a\"},{\"x\":\"b\"}]"));
    }

    @Test
    void duplicateKeyOnAMappedPathIsDirtyButUnreadDuplicatesDoNotMatter() {
        DirtyRecordException e = dirty("a.b => v", utf8("{\"a\":{\"b\":1,\"b\":2}}"));
        assertEquals("duplicate JSON key \"b\" in a.b", e.getMessage());
        assertEquals("duplicate JSON key \"a\"", dirty("a.b => v", utf8("{\"a\":{},\"a\":{\"b\":1}}")).getMessage());
        assertEquals(1L, one("a.b", "{\"a\":{\"b\":1},\"z\":1,\"z\":2}"));
    }

    // -- built-in fields and constants

    @Test
    void builtInFieldsHaveTheDocumentedTypes() {
        Map<String, Object> row = apply("__key__, __value__, __partition__, __headers__, __offset__, __timestamp__", "{\"x\":1}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("__key__", "k-1");
        expected.put("__value__", "{\"x\":1}");
        expected.put("__partition__", 3L);
        expected.put("__headers__", "{\"trace\":\"t-9\"}");
        expected.put("__offset__", 42L);
        expected.put("__timestamp__", 1_669_111_200_123L);
        assertEquals(expected, row);
        assertEquals(13, row.get("__timestamp__").toString().length(), "13-digit epoch millis");
    }

    @Test
    void recordWithoutTimestampHasNullTimestamp() {
        Origin noTs = new Origin("t", 0, 0, -1L, null, List.of());
        assertNull(mapping("__timestamp__").apply(noTs, utf8("x")).get("__timestamp__"));
    }

    @Test
    void constantsAreTheSameStringInEveryRow() {
        Map<String, Object> row = apply("'123' => c, 'it''s' => d, '' => e, '123' => f", "{}");
        assertEquals(Map.of("c", "123", "d", "it's", "e", "", "f", "123"), row);
    }

    @Test
    void keyAndValueTypesApplyToTheBuiltIns() {
        ColumnMapping m = ColumnMapping.parse("__key__ => k, __value__ => v", KafkaType.LONG, KafkaType.INTEGER,
                StandardCharsets.UTF_8);
        Origin o = new Origin("t", 0, 0, 0, new LongSerializer().serialize("t", -5L), List.of());
        assertEquals(Map.of("k", -5L, "v", 77L), m.apply(o, new IntegerSerializer().serialize("t", 77)));
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> m.apply(o, new byte[]{1, 2}));
        assertTrue(e.getMessage().startsWith("value has 2 bytes, but type INTEGER needs exactly 4"), e.getMessage());
    }

    @Test
    void byteArrayKeepsTheBytes() {
        ColumnMapping m = ColumnMapping.parse("__key__ => k, __value__ => v", KafkaType.BYTEARRAY, KafkaType.BYTEARRAY,
                StandardCharsets.UTF_8);
        byte[] value = {(byte) 0xFF, 0, 1};
        Map<String, Object> row = m.apply(new Origin("t", 0, 0, 0, new byte[]{9}, List.of()), value);
        assertArrayEquals(new byte[]{9}, (byte[]) row.get("k"));
        assertArrayEquals(value, (byte[]) row.get("v"));
    }

    @Test
    void unmappedKeyIsNeverDecoded() {
        Origin badKey = new Origin("t", 0, 0, 0, new byte[]{(byte) 0xC3, 0x28}, List.of());
        assertEquals(Map.of("b", 1L), mapping("b").apply(badKey, utf8("{\"b\":1}")));
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> mapping("__key__, b").apply(badKey, utf8("{}")));
        assertTrue(e.getMessage().startsWith("key is not valid UTF-8 text"), e.getMessage());
    }

    // -- null, empty and hostile values

    @Test
    void nullValueGivesNullColumnsAndEmptyValueIsDirty() {
        Map<String, Object> row = mapping("__key__, __value__, a.a1 => a1, '1' => one").apply(ORIGIN, null);
        Map<String, Object> expected = new HashMap<>();
        expected.put("__key__", "k-1");
        expected.put("__value__", null);
        expected.put("a1", null);
        expected.put("one", "1");
        assertEquals(expected, row);
        assertEquals("value is empty, expected JSON", dirty("a.a1 => v", new byte[0]).getMessage());
        assertEquals("", mapping("__value__").apply(ORIGIN, new byte[0]).get("__value__"));
    }

    @Test
    void nullAndEmptyKeys() {
        Origin nullKey = new Origin("t", 0, 0, 0, null, List.of());
        Origin emptyKey = new Origin("t", 0, 0, 0, new byte[0], List.of());
        assertNull(mapping("__key__").apply(nullKey, utf8("x")).get("__key__"));
        assertEquals("", mapping("__key__").apply(emptyKey, utf8("x")).get("__key__"));
        ColumnMapping intKey = ColumnMapping.parse("__key__", KafkaType.INTEGER, KafkaType.STRING, StandardCharsets.UTF_8);
        assertNull(intKey.apply(nullKey, utf8("x")).get("__key__"));
        assertThrows(DirtyRecordException.class, () -> intKey.apply(emptyKey, utf8("x")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "truncated object|`{\"a\": {\"a1\": \"hel`|value is not valid JSON",
            "truncated after a member|`{\"b\":\"world\",`|value is not valid JSON",
            "truncated array|`{\"b\":1,\"c\":[1,2`|value is not valid JSON",
            "unclosed object|`{\"b\":1`|value is not valid JSON",
            "trailing garbage|`{\"b\":1} x`|value is not valid JSON",
            "second document|`{\"b\":1}{\"b\":2}`|trailing content after the JSON value",
            "bare word|`{\"b\": nope}`|value is not valid JSON",
            "single quotes|`{'b': 1}`|value is not valid JSON",
            "not json at all|hello world|value is not valid JSON",
    })
    void brokenJsonIsDirty(String what, String json, String reason) {
        DirtyRecordException e = dirty("b => v", utf8(json));
        assertTrue(e.getMessage().startsWith(reason), what + ": " + e.getMessage());
        assertEquals(DirtyRecordException.Stage.DECODE, e.stage());
    }

    @Test
    void invalidUtf8IsDirtyWhereverItIs() {
        byte[] inMapped = {'{', '"', 'b', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'};
        byte[] inUnmapped = {'{', '"', 'z', '"', ':', '"', (byte) 0xC3, 0x28, '"', ',', '"', 'b', '"', ':', '1', '}'};
        byte[] inKey = {'{', '"', (byte) 0xFF, '"', ':', '1', ',', '"', 'b', '"', ':', '1', '}'};
        for (byte[] bad : List.of(inMapped, inUnmapped, inKey)) {
            DirtyRecordException e = dirty("b => v", bad);
            assertTrue(e.getMessage().startsWith("value is not valid JSON"), e.getMessage());
        }
        DirtyRecordException e = dirty("__value__", inUnmapped);
        assertEquals("value is not valid UTF-8 text: malformed input at byte 6 of 16", e.getMessage());
    }

    @Test
    void deepNestingIsDirtyNotAStackOverflow() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        for (String json : List.of("{\"b\":1,\"z\":" + deep + "}", "{\"b\":" + deep + "}", deep)) {
            DirtyRecordException e = dirty("b => v", utf8(json));
            assertTrue(e.getCause().getMessage().contains("nesting depth"), e.getCause().getMessage());
        }
        String deepObjects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertTrue(dirty("a.a.a => v", utf8(deepObjects)).getCause().getMessage().contains("nesting depth"));
    }

    @Test
    void nestingWithinTheLimitIsRead() {
        int depth = 400;
        String json = "{\"a\":".repeat(depth) + "\"bottom\"" + "}".repeat(depth);
        assertEquals("bottom", one(String.join(".", java.util.Collections.nCopies(depth, "a")), json));
    }

    @Test
    void tenMegabyteValueIsMappedInOnePass() {
        String big = "x".repeat(10 * 1024 * 1024);
        String json = "{\"skip\":\"" + big + "\",\"blob\":\"" + big + "\",\"id\":7}";
        Map<String, Object> row = apply("blob, id", json);
        assertEquals(big, row.get("blob"));
        assertEquals(7L, row.get("id"));
    }

    @Test
    void otherEncodingsAreDecodedOnceThenParsed() {
        Charset gbk = Charset.forName("GBK");
        ColumnMapping m = ColumnMapping.parse("名字 => n, __value__ => raw", KafkaType.STRING, KafkaType.STRING, gbk);
        String json = "{\"名字\":\"张三\"}";
        assertEquals(Map.of("n", "张三", "raw", json), m.apply(ORIGIN, json.getBytes(gbk)));
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () ->
                ColumnMapping.parse("名字 => n", KafkaType.STRING, KafkaType.STRING, gbk).apply(ORIGIN, new byte[]{'{', (byte) 0x81}));
        assertTrue(e.getMessage().startsWith("value is not valid GBK text"), e.getMessage());
    }

    @Test
    void byteArrayValuesAreParsedAsJsonToo() {
        ColumnMapping m = ColumnMapping.parse("b", KafkaType.BYTEARRAY, KafkaType.BYTEARRAY, StandardCharsets.UTF_8);
        assertEquals(Map.of("b", "world"), m.apply(ORIGIN, utf8(SPEC_RECORD)));
    }

    // -- the mapping rules

    @Test
    void aColumnTakesOneSourceAndASourceGoesToOneColumn() {
        InvalidMappingException e = assertThrows(InvalidMappingException.class,
                () -> mapping("a => x, b => X, a => y, __key__ => k1, __key__ => k2, a.b => z, [\"a\"].b => w"));
        assertEquals(List.of(
                "column X is mapped twice, by entry 1 (a => x) and by entry 2 (b => X); a destination column takes one source field",
                "source field a is mapped twice, by entry 1 (a => x) and by entry 3 (a => y); a source field goes to one destination column",
                "source field __key__ is mapped twice, by entry 4 (__key__ => k1) and by entry 5 (__key__ => k2); a source field goes to one destination column",
                "source field a.b is mapped twice, by entry 6 (a.b => z) and by entry 7 ([\"a\"].b => w); a source field goes to one destination column"),
                e.problems());
    }

    @Test
    void constantsMayRepeat() {
        assertEquals(Map.of("x", "1", "y", "1"), apply("'1' => x, '1' => y", "{}"));
    }

    @Test
    void jsonPathsNeedATextValue() {
        InvalidMappingException e = assertThrows(InvalidMappingException.class,
                () -> ColumnMapping.parse("__value__, a.a1 => x", KafkaType.STRING, KafkaType.LONG, StandardCharsets.UTF_8));
        assertEquals(List.of("entry 2 (a.a1 => x) reads a JSON path, which needs the value type STRING or BYTEARRAY, not LONG"),
                e.problems());
    }

    @Test
    void unmappedFieldsAreAbsentAndEveryMappedColumnIsPresent() {
        Map<String, Object> row = apply("b, nope => n", SPEC_RECORD);
        assertEquals(Arrays.asList("b", "n"), List.copyOf(row.keySet()));
        assertNull(row.get("n"));
    }
}
