package io.kwsync.sink.jdbc;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.kwsync.model.JsonText;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Base64;
import java.util.Locale;

/**
 * Turns a message value (null, Boolean, Long, Double, BigDecimal, String, byte[], JsonText) into what one column
 * takes, in Java, before any SQL: so a value that does not fit makes only its row dirty, with a reason naming the
 * column and the value, and the database sees only values of the right type. Built once per column when the schema
 * is read; {@link #coerce} and {@link #bind} are the hot path.
 *
 * <p>Rules, per column kind: integers take integral numbers, numeric text and booleans (1/0), range-checked; decimals
 * take numbers and numeric text, at most precision-scale integer digits, rounded half-up to the scale; floats take
 * finite numbers; booleans take true/false, 1/0 and the words true/t/yes/y/on, false/f/no/n/off; dates and
 * timestamps take ISO-8601 text ({@code 2022-11-22}, {@code 2022-11-22T10:00:00[.fff][Z|+08:00]}, a space for the T)
 * or epoch milliseconds; text takes any scalar (nested JSON as its text, bytes as base64), within its declared
 * length; JSON columns take any value as JSON (a string becomes a JSON string); binary takes bytes or base64 text.
 * Time zone: text without an offset is wall-clock time in the configured zone; instants are written to columns
 * without a time zone as their wall-clock time in that zone.
 */
final class ColumnWriter {

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME).optionalEnd()
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    /** Seconds always, a fraction only when there is one: 2022-11-22 10:34:00.25. */
    private static final DateTimeFormatter TIME_TEXT = new DateTimeFormatterBuilder().appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter(Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME_TEXT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(TIME_TEXT).toFormatter(Locale.ROOT);
    private static final BigDecimal UNSIGNED_BIGINT_MAX = new BigDecimal(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
    private static final int UNLIMITED = Integer.MAX_VALUE;

    private final TableSchema.Column column;
    private final ColumnKind kind;
    private final boolean untypedText;
    private final boolean temporalAsText;
    private final ZoneId zone;
    private final int nullType;
    private final long min;
    private final long max;
    private final boolean unsigned64;
    private final int precision;
    private final int scale;
    private final int maxChars;
    private final int maxBytes;

    /**
     * @param untypedText bind text, JSON and unknown types untyped (PostgreSQL: {@code Types.OTHER}), so the
     *                    database parses them with the column's own type (jsonb, uuid, enums)
     * @param temporalAsText bind dates and times as ISO text (MySQL protocol: Connector/J drops the fraction of a
     *                       second for servers reporting a 5.5 version, as MariaDB does)
     */
    ColumnWriter(TableSchema.Column column, ColumnKind kind, boolean untypedText, boolean temporalAsText, ZoneId zone) {
        this.column = column;
        this.kind = kind;
        this.untypedText = untypedText;
        this.temporalAsText = temporalAsText;
        this.zone = zone;
        boolean text = kind == ColumnKind.TEXT || kind == ColumnKind.JSON || kind == ColumnKind.OTHER;
        this.nullType = untypedText && text ? Types.OTHER : column.jdbcType();
        String type = column.typeName() == null ? "" : column.typeName().toUpperCase(Locale.ROOT);
        boolean unsigned = type.contains("UNSIGNED");
        long[] range = integerRange(column, type, unsigned);
        this.min = range[0];
        this.max = range[1];
        this.unsigned64 = kind == ColumnKind.INTEGER && range[2] == 1;
        this.precision = kind == ColumnKind.DECIMAL ? Math.max(0, column.size()) : 0;
        this.scale = kind == ColumnKind.DECIMAL ? Math.max(0, column.scale()) : 0;
        boolean limited = column.size() > 0 && column.size() < UNLIMITED;
        boolean charType = switch (column.jdbcType()) {
            case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR -> !type.startsWith("ENUM") && !type.startsWith("SET");
            default -> false;
        };
        this.maxChars = kind == ColumnKind.TEXT && charType && limited ? column.size() : UNLIMITED;
        boolean byteSized = kind == ColumnKind.BINARY || kind == ColumnKind.TEXT && column.jdbcType() == Types.LONGVARCHAR;
        this.maxBytes = byteSized && limited ? column.size() : UNLIMITED;
    }

    TableSchema.Column column() {
        return column;
    }

    ColumnKind kind() {
        return kind;
    }

    /** {min, max, 1 if the range is unsigned 64-bit} for integer columns. */
    private static long[] integerRange(TableSchema.Column c, String type, boolean unsigned) {
        if (type.equals("YEAR")) return new long[]{0, 2155, 0};
        return switch (c.jdbcType()) {
            case Types.TINYINT -> unsigned ? new long[]{0, 255, 0} : new long[]{Byte.MIN_VALUE, Byte.MAX_VALUE, 0};
            case Types.SMALLINT -> unsigned ? new long[]{0, 65_535, 0} : new long[]{Short.MIN_VALUE, Short.MAX_VALUE, 0};
            case Types.INTEGER -> type.startsWith("MEDIUMINT")
                    ? unsigned ? new long[]{0, (1 << 24) - 1, 0} : new long[]{-(1 << 23), (1 << 23) - 1, 0}
                    : unsigned ? new long[]{0, (1L << 32) - 1, 0} : new long[]{Integer.MIN_VALUE, Integer.MAX_VALUE, 0};
            case Types.BIT -> c.size() >= 64 ? new long[]{0, Long.MAX_VALUE, 1} : new long[]{0, (1L << Math.max(1, c.size())) - 1, 0};
            default -> unsigned ? new long[]{0, Long.MAX_VALUE, 1} : new long[]{Long.MIN_VALUE, Long.MAX_VALUE, 0};
        };
    }

    /** The value to bind for this column; throws with a reason when the value cannot be written to it. */
    Object coerce(Object v) throws CoercionException {
        if (v == null) return null;
        try {
            return switch (kind) {
                case INTEGER -> toInteger(v);
                case DECIMAL -> toDecimal(v);
                case REAL, DOUBLE -> toDouble(v);
                case BOOLEAN -> toBoolean(v);
                case TEXT -> checkLength(toText(v));
                case JSON -> toJson(v);
                case BINARY -> toBytes(v);
                case DATE, TIMESTAMP, TIMESTAMP_TZ -> toDateTime(v);
                case TIME -> toTime(v);
                case OTHER -> toOther(v);
            };
        } catch (Refused r) {
            throw new CoercionException("column " + column.name() + " (" + typeText() + ") cannot take " + describe(v) + ": "
                    + r.getMessage());
        }
    }

    void bind(PreparedStatement ps, int i, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, nullType);
            return;
        }
        switch (kind) {
            case BOOLEAN -> ps.setBoolean(i, (Boolean) v);
            case INTEGER -> {
                if (v instanceof Long l) ps.setLong(i, l);
                else ps.setBigDecimal(i, (BigDecimal) v);
            }
            case DECIMAL -> ps.setBigDecimal(i, (BigDecimal) v);
            case REAL, DOUBLE -> ps.setDouble(i, (Double) v);
            case DATE, TIME, TIMESTAMP, TIMESTAMP_TZ -> {
                if (temporalAsText) ps.setString(i, temporalText(v));
                else ps.setObject(i, v);
            }
            case BINARY -> ps.setBytes(i, (byte[]) v);
            case TEXT, JSON, OTHER -> {
                if (untypedText) ps.setObject(i, v, Types.OTHER);
                else ps.setString(i, (String) v);
            }
        }
    }

    /** Dates and times as the database reads them back: 2022-11-22, 10:34:00.25, 2022-11-22 10:34:00.25. */
    static String temporalText(Object v) {
        if (v instanceof LocalDateTime t) return DATE_TIME_TEXT.format(t);
        if (v instanceof LocalTime t) return TIME_TEXT.format(t);
        return v.toString(); // LocalDate; MySQL has no type with a zone, so no OffsetDateTime reaches here
    }

    /** A rule broken by a value; turned into a {@link CoercionException} naming column and value. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private Object toInteger(Object v) throws Refused {
        long l;
        if (v instanceof Long x) l = x;
        else if (v instanceof Boolean b) l = b ? 1 : 0;
        else if (v instanceof BigDecimal d) return integral(d);
        else if (v instanceof Double d) {
            if (!Double.isFinite(d)) throw new Refused("not a finite number");
            return integral(BigDecimal.valueOf(d));
        } else if (v instanceof String s) {
            String t = s.strip();
            try {
                l = Long.parseLong(t);
            } catch (NumberFormatException e) {
                return integral(parseNumber(t));
            }
        } else {
            throw notFor(v);
        }
        if (l < min || l > max) throw outOfRange();
        return l;
    }

    private Object integral(BigDecimal d) throws Refused {
        BigDecimal s = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        if (s.scale() > 0) throw new Refused("has a fractional part");
        if (s.precision() - s.scale() > 20) throw outOfRange();
        BigInteger i = s.toBigIntegerExact();
        if (unsigned64 && i.signum() >= 0 && i.compareTo(UNSIGNED_BIGINT_MAX.toBigInteger()) <= 0) {
            return i.bitLength() < 64 ? (Object) i.longValue() : new BigDecimal(i);
        }
        if (i.bitLength() > 63) throw outOfRange();
        long l = i.longValue();
        if (l < min || l > max) throw outOfRange();
        return l;
    }

    private Refused outOfRange() {
        String range = unsigned64 ? "0.." + UNSIGNED_BIGINT_MAX : min + ".." + max;
        return new Refused("out of range " + range);
    }

    private BigDecimal toDecimal(Object v) throws Refused {
        BigDecimal d;
        if (v instanceof BigDecimal x) d = x;
        else if (v instanceof Long l) d = BigDecimal.valueOf(l);
        else if (v instanceof Double x) {
            if (!Double.isFinite(x)) throw new Refused("not a finite number");
            d = BigDecimal.valueOf(x);
        } else if (v instanceof String s) d = parseNumber(s.strip());
        else throw notFor(v);
        int intDigits = d.precision() - d.scale();
        if (precision == 0) { // unconstrained NUMERIC: PostgreSQL's own limits
            if (intDigits > 131_072 || d.scale() > 16_383) throw new Refused("outside the NUMERIC range");
            return d;
        }
        if (intDigits > precision - scale) {
            throw new Refused("has " + intDigits + " digits before the decimal point, the column allows " + (precision - scale));
        }
        if (-intDigits > scale) return BigDecimal.ZERO.setScale(scale); // smaller than half the last digit
        BigDecimal r = d.setScale(scale, RoundingMode.HALF_UP);
        if (r.precision() - r.scale() > precision - scale) {
            throw new Refused("rounds to " + r.toPlainString() + ", more digits than the column allows");
        }
        return r;
    }

    private static BigDecimal parseNumber(String t) throws Refused {
        if (t.length() > 1000) throw new Refused("not a number");
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new Refused("not a number");
        }
    }

    private Double toDouble(Object v) throws Refused {
        double x;
        if (v instanceof Double d) x = d;
        else if (v instanceof Long l) x = l;
        else if (v instanceof BigDecimal d) x = d.doubleValue();
        else if (v instanceof String s) x = parseNumber(s.strip()).doubleValue();
        else throw notFor(v);
        if (!Double.isFinite(x)) throw new Refused(v instanceof Double ? "not a finite number" : "out of range");
        if (kind == ColumnKind.REAL && Math.abs(x) > Float.MAX_VALUE) throw new Refused("out of range of a 4-byte float");
        return x;
    }

    private Boolean toBoolean(Object v) throws Refused {
        if (v instanceof Boolean b) return b;
        if (v instanceof Long l && (l == 0 || l == 1)) return l == 1;
        if (v instanceof BigDecimal d && (d.signum() == 0 || d.compareTo(BigDecimal.ONE) == 0)) return d.signum() != 0;
        if (v instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "y", "on", "1":
                    return Boolean.TRUE;
                case "false", "f", "no", "n", "off", "0":
                    return Boolean.FALSE;
                default:
                    throw new Refused("not a boolean (true/false, 1/0, yes/no)");
            }
        }
        if (v instanceof Long || v instanceof BigDecimal) throw new Refused("only 1 and 0 are booleans");
        throw notFor(v);
    }

    private static String toText(Object v) {
        if (v instanceof String s) return s;
        if (v instanceof JsonText j) return j.json();
        if (v instanceof BigDecimal d) return Math.abs(d.scale()) < 100 ? d.toPlainString() : d.toString();
        if (v instanceof byte[] b) return Base64.getEncoder().encodeToString(b);
        return v.toString(); // Long, Double, Boolean
    }

    private String checkLength(String s) throws Refused {
        if (s.length() > maxChars) {
            int chars = s.codePointCount(0, s.length());
            if (chars > maxChars) throw new Refused(chars + " characters, the column holds " + maxChars);
        }
        if (maxBytes != UNLIMITED && (long) s.length() * 3 > maxBytes) {
            long bytes = utf8Length(s);
            if (bytes > maxBytes) throw new Refused(bytes + " bytes of UTF-8, the column holds " + maxBytes);
        }
        return s;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    private static String toJson(Object v) throws Refused {
        if (v instanceof JsonText j) return j.json();
        if (v instanceof String s) return quoted(s);
        if (v instanceof byte[] b) return quoted(Base64.getEncoder().encodeToString(b));
        if (v instanceof Double d && !Double.isFinite(d)) throw new Refused("JSON has no " + d);
        return v.toString(); // Long, BigDecimal (JSON allows exponents), Double, Boolean
    }

    private static String quoted(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    private byte[] toBytes(Object v) throws Refused {
        byte[] b;
        if (v instanceof byte[] x) b = x;
        else if (v instanceof String s) {
            try {
                b = Base64.getDecoder().decode(s.strip());
            } catch (IllegalArgumentException e) {
                throw new Refused("binary columns take base64 text");
            }
        } else throw notFor(v);
        if (b.length > maxBytes) throw new Refused(b.length + " bytes, the column holds " + maxBytes);
        return b;
    }

    private Object toDateTime(Object v) throws Refused {
        if (v instanceof Long || v instanceof BigDecimal) {
            Instant instant;
            try {
                instant = Instant.ofEpochMilli(v instanceof Long l ? l : ((BigDecimal) v).longValueExact());
            } catch (ArithmeticException e) {
                throw new Refused("not epoch milliseconds");
            }
            return atInstant(instant);
        }
        if (!(v instanceof String s)) throw notFor(v);
        String t = s.strip();
        Object fast = parseCommonDateTime(t);
        if (fast != null) return fast;
        if (t.length() > 10 && t.charAt(10) == ' ') t = t.substring(0, 10) + 'T' + t.substring(11);
        TemporalAccessor p;
        try {
            p = DATE_TIME.parse(t);
        } catch (DateTimeParseException e) {
            throw new Refused("not an ISO-8601 date or date-time (e.g. 2022-11-22T10:00:00+08:00)");
        }
        LocalDate date = p.query(TemporalQueries.localDate());
        LocalTime time = p.query(TemporalQueries.localTime());
        ZoneOffset offset = p.query(TemporalQueries.offset());
        return resolve(date, time, offset);
    }

    private Object resolve(LocalDate date, LocalTime time, ZoneOffset offset) throws Refused {
        LocalDateTime local = LocalDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time);
        if (offset != null) return atInstant(local.toInstant(offset));
        return switch (kind) {
            case DATE -> date;
            case TIMESTAMP -> local;
            default -> local.atZone(zone).toOffsetDateTime();
        };
    }

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    /**
     * The hot path for the usual shapes, {@code yyyy-MM-dd} and {@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}][Z|±HH:MM]},
     * about 30 times faster than the formatter; null for anything else, which the formatter then parses or refuses.
     */
    private Object parseCommonDateTime(String t) throws Refused {
        int n = t.length();
        if (n < 10 || t.charAt(4) != '-' || t.charAt(7) != '-') return null;
        int y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
        if (y < 0 || mo < 0 || d < 0) return null;
        LocalDate date;
        try {
            date = LocalDate.of(y, mo, d);
        } catch (DateTimeException e) {
            return null;
        }
        if (n == 10) return resolve(date, null, null);
        char sep = t.charAt(10);
        if (sep != 'T' && sep != ' ' || n < 19 || t.charAt(13) != ':' || t.charAt(16) != ':') return null;
        int h = digits(t, 11, 2), mi = digits(t, 14, 2), sec = digits(t, 17, 2);
        if (h < 0 || mi < 0 || sec < 0) return null;
        int i = 19, nano = 0;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') i++;
            if (i == start || i - start > 9) return null;
            nano = digits(t, start, i - start) * POW10[9 - (i - start)];
        }
        ZoneOffset offset = null;
        if (i < n) {
            char z = t.charAt(i);
            if (z == 'Z' && i + 1 == n) {
                offset = ZoneOffset.UTC;
            } else if ((z == '+' || z == '-') && n - i == 6 && t.charAt(i + 3) == ':') {
                int oh = digits(t, i + 1, 2), om = digits(t, i + 4, 2);
                if (oh < 0 || om < 0 || oh > 18 || om > 59) return null;
                int sign = z == '-' ? -1 : 1;
                offset = ZoneOffset.ofHoursMinutes(sign * oh, sign * om);
            } else {
                return null;
            }
        }
        if (h > 23 || mi > 59 || sec > 59) return null;
        return resolve(date, LocalTime.of(h, mi, sec, nano), offset);
    }

    /** The value of {@code len} ASCII digits at {@code from}, or -1. */
    private static int digits(String t, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private Object atInstant(Instant instant) throws Refused {
        try {
            return switch (kind) {
                case DATE -> LocalDate.ofInstant(instant, zone);
                case TIMESTAMP -> LocalDateTime.ofInstant(instant, zone);
                default -> OffsetDateTime.ofInstant(instant, zone);
            };
        } catch (DateTimeException e) {
            throw new Refused("out of range");
        }
    }

    private LocalTime toTime(Object v) throws Refused {
        if (!(v instanceof String s)) throw notFor(v);
        try {
            return LocalTime.parse(s.strip(), DateTimeFormatter.ISO_LOCAL_TIME); // strict: 24:00 is refused
        } catch (DateTimeParseException e) {
            throw new Refused("not an ISO-8601 time (e.g. 10:00:00)");
        }
    }

    private String toOther(Object v) throws Refused {
        if (v instanceof byte[]) throw notFor(v);
        return toText(v);
    }

    private Refused notFor(Object v) {
        return new Refused("the column takes " + switch (kind) {
            case INTEGER -> "integers, integer text or booleans";
            case DECIMAL, REAL, DOUBLE -> "numbers or numeric text";
            case BOOLEAN -> "booleans, 1/0 or boolean words";
            case DATE, TIMESTAMP, TIMESTAMP_TZ -> "ISO-8601 text or epoch milliseconds";
            case TIME -> "ISO-8601 time text";
            case BINARY -> "bytes or base64 text";
            case TEXT, JSON, OTHER -> "text";
        });
    }

    /** e.g. DECIMAL(12,2), VARCHAR(32), jsonb. */
    String typeText() {
        String name = column.typeName();
        if (kind == ColumnKind.DECIMAL && precision > 0) return name + "(" + precision + "," + scale + ")";
        if (maxChars != UNLIMITED || kind == ColumnKind.BINARY && maxBytes != UNLIMITED
                && column.jdbcType() != Types.LONGVARBINARY && column.jdbcType() != Types.BLOB) {
            return name + "(" + column.size() + ")";
        }
        return name;
    }

    /** The value for an error message: its JSON type and a short excerpt. */
    static String describe(Object v) {
        if (v instanceof String s) return "string \"" + excerpt(s) + "\"";
        if (v instanceof Long l) return "integer " + l;
        if (v instanceof BigDecimal || v instanceof Double) return "number " + excerpt(v.toString());
        if (v instanceof Boolean b) return "boolean " + b;
        if (v instanceof JsonText j) return j.json().startsWith("[") ? "a JSON array" : "a JSON object";
        if (v instanceof byte[] b) return b.length + " bytes";
        return String.valueOf(v);
    }

    private static String excerpt(String s) {
        String one = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return one.replace("\n", "\\n").replace("\r", "\\r");
    }
}
