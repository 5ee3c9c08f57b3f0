package io.kwsync.ingest.outbound;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fieldDelimiter as written in a variable, and the column parameter in its three forms. */
class FieldDelimiterAndColumnTest {

    @Test
    void delimitersTakeEscapesAndUnicode() {
        assertEquals("\t", FieldDelimiter.parse("\\t"));
        assertEquals("\n", FieldDelimiter.parse("\\n"));
        assertEquals("\r\n", FieldDelimiter.parse("\\r\\n"));
        assertEquals("\u0001", FieldDelimiter.parse("\\u0001"));
        assertEquals("\u00e9|", FieldDelimiter.parse("\\u00E9|"));
        assertEquals("\\", FieldDelimiter.parse("\\\\"));
        assertEquals("||", FieldDelimiter.parse("||"));
        assertEquals(",", FieldDelimiter.parse(","));
        assertEquals("\t", FieldDelimiter.parse("\t"), "a real tab is a tab");
    }

    @Test
    void aWrongDelimiterIsRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldDelimiter.parse("\\x")).getMessage().contains("\\x is not an escape"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldDelimiter.parse("a\\")).getMessage().contains("lone backslash"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldDelimiter.parse("\\u00")).getMessage().contains("four hex digits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldDelimiter.parse("\\u00zz")).getMessage().contains("four hex digits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FieldDelimiter.parse("")).getMessage().contains("empty"));
    }

    @Test
    void columnIsReadInItsJsonFormsAndTheShortForm() {
        List<JsonField> expected = List.of(new JsonField("col1", JsonField.Type.JSON_NUMBER), new JsonField("col2", JsonField.Type.JSON_STRING));
        assertEquals(expected, JsonField.parseList("[{\"name\":\"col1\",\"type\":\"JSON_NUMBER\"}, {\"name\":\"col2\",\"type\":\"JSON_STRING\"}]"));
        assertEquals(expected, JsonField.parseList("[{\"name\":\"col1\",\"type\":\"json_number\"}, {\"name\":\"col2\"}]"));
        assertEquals(expected, JsonField.parseList("[{\"name\":\"col1\",\"type\":\"JSON_NUMBER\"}, \"col2\"]"));
        assertEquals(expected, JsonField.parseList("col1:JSON_NUMBER, col2"));
    }

    @Test
    void aWrongColumnIsRefusedWithTheReason() {
        assertTrue(refused("[{\"name\":\"a\",\"type\":\"JSON_DATE\"}]").contains("'JSON_DATE' is not one of JSON_STRING, JSON_NUMBER"));
        assertTrue(refused("a,b,a").contains("names the field 'a' twice"));
        assertTrue(refused("[1]").contains("neither a name nor"));
        assertTrue(refused("[{\"name\":\"a\"").contains("not valid JSON"));
        assertTrue(refused("a,,b").contains("without a name"));
        assertTrue(refused("[]").contains("names no field"));
    }

    static String refused(String column) {
        return assertThrows(IllegalArgumentException.class, () -> JsonField.parseList(column)).getMessage();
    }
}
