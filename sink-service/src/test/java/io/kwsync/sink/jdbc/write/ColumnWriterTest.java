package io.kwsync.sink.jdbc.write;

import io.kwsync.model.JsonText;
import io.kwsync.sink.jdbc.dialect.ColumnKind;
import io.kwsync.sink.jdbc.dialect.MySqlDialect;
import io.kwsync.sink.jdbc.dialect.PostgresDialect;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.sink.jdbc.schema.TableSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.ZoneId;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coercion rules, value by value, in the time zone Asia/Shanghai (+08:00) so the zone rule shows. */
class ColumnWriterTest {

    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** A column as the drivers describe it (see the metadata of MariaDB 10.11 and PostgreSQL 15). */
    static TableSchema.Column column(String spec) {
        return switch (spec) {
            case "BIGINT" -> c(Types.BIGINT, "BIGINT", 19, -1);
            case "INT" -> c(Types.INTEGER, "INT", 10, -1);
            case "TINYINT" -> c(Types.TINYINT, "TINYINT", 3, -1);
            case "MEDIUMINT" -> c(Types.INTEGER, "MEDIUMINT", 7, -1);
            case "INT UNSIGNED" -> c(Types.INTEGER, "INT UNSIGNED", 10, -1);
            case "BIGINT UNSIGNED" -> c(Types.BIGINT, "BIGINT UNSIGNED", 20, -1);
            case "DECIMAL(12,2)" -> c(Types.DECIMAL, "DECIMAL", 12, 2);
            case "numeric" -> c(Types.NUMERIC, "numeric", 0, -1);
            case "REAL" -> c(Types.REAL, "REAL", 12, 0);
            case "DOUBLE" -> c(Types.DOUBLE, "DOUBLE", 22, 0);
            case "BOOLEAN" -> c(Types.BIT, "BIT", 1, -1);
            case "bool" -> c(Types.BIT, "bool", 1, 0);
            case "DATE" -> c(Types.DATE, "DATE", 10, -1);
            case "TIME" -> c(Types.TIME, "TIME", 12, -1);
            case "DATETIME" -> c(Types.TIMESTAMP, "DATETIME", 26, -1);
            case "timestamptz" -> c(Types.TIMESTAMP, "timestamptz", 35, 6);
            case "VARCHAR(5)" -> c(Types.VARCHAR, "VARCHAR", 5, -1);
            case "TINYTEXT" -> c(Types.LONGVARCHAR, "TINYTEXT", 255, -1);
            case "text" -> c(Types.VARCHAR, "text", Integer.MAX_VALUE, 0);
            case "ENUM" -> c(Types.CHAR, "ENUM", 1, -1);
            case "JSON" -> c(Types.LONGVARCHAR, "JSON", Integer.MAX_VALUE, -1);
            case "jsonb" -> c(Types.OTHER, "jsonb", Integer.MAX_VALUE, 0);
            case "VARBINARY(4)" -> c(Types.VARBINARY, "VARBINARY", 4, -1);
            case "uuid" -> c(Types.OTHER, "uuid", Integer.MAX_VALUE, 0);
            case "YEAR" -> c(Types.DATE, "YEAR", 4, -1);
            case "BIT(8)" -> c(Types.BIT, "BIT", 8, -1);
            default -> throw new IllegalArgumentException(spec);
        };
    }

    private static TableSchema.Column c(int jdbcType, String typeName, int size, int scale) {
        return new TableSchema.Column(0, "c", jdbcType, typeName, size, scale, true, false);
    }

    /** Specs in upper case are MariaDB's metadata, in lower case PostgreSQL's: each goes through its dialect's rules. */
    static ColumnWriter writer(String spec) {
        TableSchema.Column col = column(spec);
        SqlDialect dialect = Character.isLowerCase(spec.charAt(0)) ? new PostgresDialect() : new MySqlDialect();
        return new ColumnWriter(dialect.rules(col), false, false, ZONE);
    }

    /** Message values written as TYPE:text: L Long, D BigDecimal, F Double, S String, B Boolean, J JsonText, X hex bytes. */
    static Object value(String v) {
        if (v.equals("null")) return null;
        String text = v.substring(2);
        return switch (v.charAt(0)) {
            case 'L' -> Long.parseLong(text);
            case 'D' -> new BigDecimal(text);
            case 'F' -> Double.parseDouble(text);
            case 'S' -> text;
            case 'B' -> Boolean.parseBoolean(text);
            case 'J' -> new JsonText(text);
            case 'X' -> HexFormat.of().parseHex(text);
            default -> throw new IllegalArgumentException(v);
        };
    }

    static String show(Object v) {
        return v instanceof byte[] b ? "X:" + HexFormat.of().formatHex(b) : String.valueOf(v);
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "BIGINT|L:42|42",
            "BIGINT|D:42.000|42",
            "BIGINT|D:4.2E+1|42",
            "BIGINT|S: 17 |17",
            "BIGINT|S:1e3|1000",
            "BIGINT|B:true|1",
            "BIGINT|F:3.0|3",
            "INT|L:-2147483648|-2147483648",
            "TINYINT|L:-128|-128",
            "MEDIUMINT|L:8388607|8388607",
            "INT UNSIGNED|L:4294967295|4294967295",
            "BIGINT UNSIGNED|D:18446744073709551615|18446744073709551615",
            "BIGINT UNSIGNED|L:7|7",
            "YEAR|L:2022|2022",
            "BIT(8)|L:255|255",
            "DECIMAL(12,2)|D:1234567890.125|1234567890.13",
            "DECIMAL(12,2)|D:-1234567890.125|-1234567890.13",
            "DECIMAL(12,2)|L:5|5.00",
            "DECIMAL(12,2)|S:3.14159|3.14",
            "DECIMAL(12,2)|F:0.1|0.10",
            "DECIMAL(12,2)|D:1E-999999999|0.00",
            "DECIMAL(12,2)|D:0.004|0.00",
            "numeric|D:123.456789012345678901234567890|123.456789012345678901234567890",
            "REAL|L:3|3.0",
            "DOUBLE|S:2.5|2.5",
            "DOUBLE|D:0.1|0.1",
            "BOOLEAN|B:false|false",
            "BOOLEAN|L:1|true",
            "BOOLEAN|D:0|false",
            "BOOLEAN|S:TRUE|true",
            "BOOLEAN|S:no|false",
            "bool|S:t|true",
            "DATE|S:2022-11-22|2022-11-22",
            "DATE|S:2022-11-22T23:30:00Z|2022-11-23",
            "DATE|S:2022-11-22 10:00:00|2022-11-22",
            "DATE|L:1669132800000|2022-11-23",
            "DATETIME|S:2022-11-22 10:34:00|2022-11-22T10:34",
            "DATETIME|S:2022-11-22T10:34:56.123456|2022-11-22T10:34:56.123456",
            "DATETIME|S:2022-11-22T02:34:00Z|2022-11-22T10:34",
            "DATETIME|S:2022-11-22T10:34:00+08:00|2022-11-22T10:34",
            "DATETIME|S:2022-11-22T04:34:00+0200|2022-11-22T10:34",
            "DATETIME|S:2022-11-22|2022-11-22T00:00",
            "DATETIME|S:2022-11-22T01:34:00.123456789Z|2022-11-22T09:34:00.123456789",
            "DATETIME|S:2022-11-21T21:04:00-05:30|2022-11-22T10:34",
            "DATETIME|S:2022-11-22T10:34|2022-11-22T10:34",
            "DATE|S:2024-02-29|2024-02-29",
            "DATETIME|L:0|1970-01-01T08:00",
            "timestamptz|S:2022-11-22T10:34:00|2022-11-22T10:34+08:00",
            "timestamptz|S:2022-11-22T10:34:00Z|2022-11-22T18:34+08:00",
            "DATETIME|S:2022-11-22T10:34:00+08|2022-11-22T10:34",
            "timestamptz|L:0|1970-01-01T08:00+08:00",
            "TIME|S:10:34:00|10:34",
            "TIME|S:10:34:00.5|10:34:00.500",
            "VARCHAR(5)|S:abcde|abcde",
            "VARCHAR(5)|S:\u00e9\u00e9\u00e9\u00e9\u00e9|\u00e9\u00e9\u00e9\u00e9\u00e9",
            "VARCHAR(5)|S:\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00|\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00",
            "VARCHAR(5)|L:12345|12345",
            "VARCHAR(5)|D:1E+3|1000",
            "VARCHAR(5)|B:true|true",
            "VARCHAR(5)|J:[1,2]|[1,2]",
            "VARCHAR(5)|X:0001|AAE=",
            "ENUM|S:medium|medium",
            "text|J:{\"a\":{\"b\":[1]}}|{\"a\":{\"b\":[1]}}",
            "JSON|J:{\"a\":[1,2]}|{\"a\":[1,2]}",
            "JSON|S:abc|\"abc\"",
            "jsonb|S:say \"hi\"|\"say \\\"hi\\\"\"",
            "jsonb|L:5|5",
            "jsonb|B:true|true",
            "jsonb|D:1.50|1.50",
            "VARBINARY(4)|X:00ff|X:00ff",
            "VARBINARY(4)|S:AAEC|X:000102",
            "uuid|S:2b0d6f0e-7c1a-4d7e-9d55-0f4cbb3a7c11|2b0d6f0e-7c1a-4d7e-9d55-0f4cbb3a7c11",
            "uuid|L:5|5",
    })
    void coercesWhatFits(String column, String input, String expected) throws CoercionException {
        assertEquals(expected, show(writer(column).coerce(value(input))));
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "BIGINT|D:42.5|cannot take number 42.5: has a fractional part",
            "BIGINT|S:abc|cannot take string \"abc\": not a number",
            "BIGINT|D:1E+400|out of range",
            "BIGINT|D:1E-999999999|has a fractional part",
            "BIGINT|J:[1]|cannot take a JSON array: the column takes integers, integer text or booleans",
            "BIGINT|J:{\"a\":1}|cannot take a JSON object",
            "INT|L:2147483648|out of range -2147483648..2147483647",
            "TINYINT|L:128|out of range -128..127",
            "INT UNSIGNED|L:-1|out of range 0..4294967295",
            "BIGINT UNSIGNED|D:18446744073709551616|out of range 0..18446744073709551615",
            "YEAR|L:12022|out of range 0..2155",
            "DECIMAL(12,2)|D:12345678901.5|has 11 digits before the decimal point, the column allows 10",
            "DECIMAL(12,2)|D:9999999999.999|rounds to 10000000000.00",
            "DECIMAL(12,2)|S:abc|column c (DECIMAL(12,2)) cannot take string \"abc\": not a number",
            "DECIMAL(12,2)|B:true|cannot take boolean true: the column takes numbers or numeric text",
            "REAL|D:1E+39|out of range of a 4-byte float",
            "DOUBLE|S:NaN|not a number",
            "DOUBLE|F:NaN|not a finite number",
            "DOUBLE|D:1E+400|out of range",
            "BOOLEAN|L:2|only 1 and 0 are booleans",
            "BOOLEAN|S:maybe|not a boolean",
            "DATE|S:22/11/2022|not an ISO-8601 date or date-time",
            "DATETIME|S:2022-13-01T00:00:00|not an ISO-8601",
            "DATE|S:2023-02-29|not an ISO-8601",
            "DATETIME|S:2022-11-22T24:00:00|not an ISO-8601",
            "DATETIME|S:2022-11-22T10:34:00.1234567890|not an ISO-8601",
            "DATETIME|S:2022-11-22T10:34:00+25:00|not an ISO-8601",
            "DATETIME|S:2022-11-22X10:34:00|not an ISO-8601",
            "DATETIME|F:1.5|the column takes ISO-8601 text or epoch milliseconds",
            "DATETIME|D:1.5|not epoch milliseconds",
            "TIME|L:5|the column takes ISO-8601 time text",
            "TIME|S:25:00:00|not an ISO-8601 time",
            "VARCHAR(5)|S:abcdef|column c (VARCHAR(5)) cannot take string \"abcdef\": 6 characters, the column holds 5",
            "VARBINARY(4)|X:0102030405|column c (VARBINARY(4)) cannot take 5 bytes: 5 bytes, the column holds 4",
            "VARBINARY(4)|S:not base64!|binary columns take base64 text",
            "uuid|X:00|cannot take 1 bytes: the column takes text",
    })
    void refusesWhatDoesNotFitAndSaysWhy(String column, String input, String reason) {
        CoercionException e = assertThrows(CoercionException.class, () -> writer(column).coerce(value(input)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().startsWith("column c ("), e.getMessage());
    }

    @Test
    void tinytextCountsBytesNotCharacters() throws CoercionException {
        assertEquals(255, ((String) writer("TINYTEXT").coerce("x".repeat(255))).length());
        assertThrows(CoercionException.class, () -> writer("TINYTEXT").coerce("x".repeat(256)));
        assertEquals(127, ((String) writer("TINYTEXT").coerce("\u00e9".repeat(127))).length());
        CoercionException e = assertThrows(CoercionException.class, () -> writer("TINYTEXT").coerce("\u00e9".repeat(128)));
        assertTrue(e.getMessage().endsWith("256 bytes of UTF-8, the column holds 255"), e.getMessage());
    }

    @Test
    void nullStaysNullForEveryKind() throws CoercionException {
        for (String spec : new String[]{"BIGINT", "DECIMAL(12,2)", "BOOLEAN", "DATETIME", "VARCHAR(5)", "jsonb", "VARBINARY(4)"}) {
            assertNull(writer(spec).coerce(null), spec);
        }
    }

    @Test
    void longTextInErrorsIsCut() {
        CoercionException e = assertThrows(CoercionException.class, () -> writer("BIGINT").coerce("y".repeat(10_000)));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void postgresBitStringsAreTextAndBoolIsBoolean() {
        PostgresDialect pg = new PostgresDialect();
        assertEquals(ColumnKind.OTHER, pg.kind(c(Types.BIT, "bit", 1, 0)));
        assertEquals(ColumnKind.OTHER, pg.kind(c(Types.OTHER, "varbit", 8, 0)));
        assertEquals(ColumnKind.BOOLEAN, pg.kind(c(Types.BIT, "bool", 1, 0)));
        assertEquals(ColumnKind.TIMESTAMP_TZ, pg.kind(c(Types.TIMESTAMP, "timestamptz", 35, 6)));
        assertEquals(ColumnKind.JSON, pg.kind(c(Types.OTHER, "jsonb", Integer.MAX_VALUE, 0)));
        assertEquals(ColumnKind.BOOLEAN, new MySqlDialect().kind(c(Types.BIT, "BIT", 1, -1)));
        assertEquals(ColumnKind.INTEGER, new MySqlDialect().kind(c(Types.BIT, "BIT", 8, -1)));
    }
}
