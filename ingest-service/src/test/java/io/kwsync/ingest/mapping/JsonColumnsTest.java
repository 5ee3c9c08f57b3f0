package io.kwsync.ingest.mapping;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonColumnsTest {

    static Map<String, Object> parse(String json) {
        return JsonColumns.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void topLevelKeysBecomeTypedColumns() {
        Map<String, Object> c = parse("""
                {"id": 42, "name": "ann", "score": 9.75, "big": 123456789012345678901234567890,
                 "ok": true, "no": false, "nothing": null, "obj": {"x": [1, {"y": "z"}]}, "arr": [1, 2]}""");
        assertEquals(42L, c.get("id"));
        assertEquals("ann", c.get("name"));
        assertEquals(new BigDecimal("9.75"), c.get("score"));
        assertEquals(new BigDecimal("123456789012345678901234567890"), c.get("big"));
        assertEquals(Boolean.TRUE, c.get("ok"));
        assertEquals(Boolean.FALSE, c.get("no"));
        assertTrue(c.containsKey("nothing"));
        assertNull(c.get("nothing"));
        assertEquals(new JsonText("{\"x\":[1,{\"y\":\"z\"}]}"), c.get("obj"));
        assertEquals(new JsonText("[1,2]"), c.get("arr"));
        assertEquals(List.of("id", "name", "score", "big", "ok", "no", "nothing", "obj", "arr"), List.copyOf(c.keySet()));
    }

    @Test
    void keepsDecimalDigitsExactly() {
        assertEquals(new BigDecimal("0.1000000000000000055511151231257827"), parse("{\"v\":0.1000000000000000055511151231257827}").get("v"));
        assertEquals(new BigDecimal("1E+400"), parse("{\"v\":1e400}").get("v"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty input|''|value is empty",
            "array at top|[1,2]|not a JSON object",
            "string at top|'\"x\"'|not a JSON object",
            "truncated|'{\"a\": 1'|not valid JSON",
            "trailing garbage|'{\"a\":1} x'|not valid JSON",
            "second object|'{\"a\":1}{\"b\":2}'|trailing content",
            "duplicate key|'{\"a\":1,\"a\":2}'|duplicate JSON key",
            "bare word|'{\"a\": nope}'|not valid JSON",
    })
    void dirtyInputIsRejectedWithAReason(String what, String json, String reason) {
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> parse(json));
        assertTrue(e.getMessage().contains(reason), what + ": " + e.getMessage());
        assertEquals(DirtyRecordException.Stage.DECODE, e.stage());
    }

    @Test
    void nullValueIsDirty() {
        assertThrows(DirtyRecordException.class, () -> JsonColumns.parseObject(null));
    }

    @Test
    void invalidUtf8IsDirty() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> JsonColumns.parseObject(bad));
        assertTrue(e.getMessage().contains("value is not UTF-8 text (binary data is not supported): byte 0xC3 at position 6"),
                e.getMessage());
    }

    @Test
    void binaryAndOtherEncodingsAreDirtyWithAClearReason() {
        byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE); // a JSON parser would auto-detect and accept it
        byte[] random = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A};
        byte[] latin1 = "{\"name\":\"Jos\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] b : List.of(utf16, random, latin1)) {
            DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> JsonColumns.parseObject(b));
            assertTrue(e.getMessage().startsWith("value is not UTF-8 text (binary data is not supported)"), e.getMessage());
            assertEquals(DirtyRecordException.Stage.DECODE, e.stage());
        }
        assertEquals("Jos\u00e9", parse("{\"name\":\"Jos\u00e9\"}").get("name"));
    }

    @Test
    void deepNestingIsDirtyNotAStackOverflow() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> parse(deep));
        assertTrue(e.getCause().getMessage().contains("nesting depth"), e.getCause().getMessage());
    }

    @Test
    void nestingWithinTheLimitIsKeptAsText() {
        String nested = "[".repeat(JsonColumns.MAX_DEPTH - 1) + "]".repeat(JsonColumns.MAX_DEPTH - 1);
        assertEquals(new JsonText(nested), parse("{\"a\":" + nested + "}").get("a"));
    }

    @Test
    void tenMegabyteValueIsRead() {
        String big = "x".repeat(10 * 1024 * 1024);
        assertEquals(big, parse("{\"blob\":\"" + big + "\"}").get("blob"));
    }

    /** Escapes may spell a lone surrogate anywhere; it is refused where it is, from bytes and from decoded text alike. */
    @Test
    void aLoneSurrogateIsRefusedWithWhereItIs() {
        assertEquals("JSON string at /s holds a lone UTF-16 surrogate \\uD800 at character 2 (an escape without its pair),"
                + " which UTF-8 cannot encode", surrogate("{\"s\":\"x\\ud800y\"}"));
        assertTrue(surrogate("{\"a\":1,\"j\":{\"x\":[\"\\udc00\"]}}").startsWith("JSON at /j holds a lone"));
        // JSON text decoded from another charset goes through a text parser, which takes such a key as it is
        DirtyRecordException key = assertThrows(DirtyRecordException.class, () -> JsonColumns.parseObjectText("{\"k\\ud800\":1}"));
        assertEquals(DirtyRecordException.Stage.DECODE, key.stage());
        assertTrue(key.getMessage().startsWith("JSON key \"k\\uD800\" at /k"), key.getMessage());
        assertEquals(Map.of("s", "x😀y"), JsonColumns.parseObject("{\"s\":\"x\\ud83d\\ude00y\"}".getBytes(StandardCharsets.UTF_8)),
                "an escaped pair is one character");
    }

    static String surrogate(String json) {
        DirtyRecordException e = assertThrows(DirtyRecordException.class,
                () -> JsonColumns.parseObject(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(DirtyRecordException.Stage.DECODE, e.stage());
        DirtyRecordException fromText = assertThrows(DirtyRecordException.class, () -> JsonColumns.parseObjectText(json));
        assertEquals(e.getMessage(), fromText.getMessage(), "the same from text");
        return e.getMessage();
    }

    /** Many keys: the order is kept past any initial capacity, and a key given again is found among all of them. */
    @Test
    void manyKeysKeepTheirOrderAndADuplicateIsFoundAmongThem() {
        StringBuilder json = new StringBuilder("{");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add("column_" + i);
            json.append(i == 0 ? "" : ",").append("\"column_").append(i).append("\":").append(i);
        }
        Map<String, Object> c = parse(json + "}");
        assertEquals(names, List.copyOf(c.keySet()));
        assertEquals(299L, c.get("column_299"));
        for (int again : new int[]{0, 17, 299}) {
            DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> parse(json + ",\"column_" + again + "\":1}"));
            assertTrue(e.getMessage().contains("duplicate JSON key \"column_" + again + "\""), e.getMessage());
        }
        // a duplicate spelled with an escape is the same key
        assertThrows(DirtyRecordException.class, () -> parse("{\"ab\":1,\"a\\u0062\":2}"));
    }

    /** Without a backslash in the bytes no lone surrogate can arise; with one, a key or string is still checked. */
    @Test
    void aLoneSurrogateIsRefusedWhereverTheEscapeIs() {
        assertEquals(Map.of("k", "x\ny"), parse("{\"k\":\"x\\ny\"}"));
        assertThrows(DirtyRecordException.class, () -> parse("{\"a\":\"plain\",\"b\":\"x\\udc00\"}"));
        assertThrows(DirtyRecordException.class, () -> parse("{\"a\":\"plain\",\"b\\ud800\":1}"));
    }
}
