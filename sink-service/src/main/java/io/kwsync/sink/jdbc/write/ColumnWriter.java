package io.kwsync.sink.jdbc.write;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.kwsync.model.JsonText;
import io.kwsync.sink.jdbc.dialect.ColumnKind;
import io.kwsync.sink.jdbc.dialect.ColumnRules;
import io.kwsync.sink.jdbc.dialect.TemporalText;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;

/**
 * Turns a message value (null, Boolean, Long, Double, BigDecimal, String, byte[], JsonText) into what one column
 * takes, in Java, before any SQL: so a value that does not fit makes only its row dirty, with a reason naming the
 * column and the value, and the database sees only values of the right type. Built once per column when the schema
 * is read, from the {@link ColumnRules} the dialect decided for it; {@link #coerce} and {@link #bind} are the hot path.
 *
 * <p>Rules, per column kind: integers take integral numbers, numeric text and booleans (1/0), range-checked; decimals
 * take numbers and numeric text, at most precision-scale integer digits, rounded half-up to the scale; floats take
 * finite numbers; booleans take true/false, 1/0 and the words true/t/yes/y/on, false/f/no/n/off; dates and
 * timestamps take ISO-8601 text or epoch milliseconds ({@link DateTimes}), within the days the column holds; text takes
 * any scalar (nested JSON as its
 * text, bytes as base64), within its declared length; JSON columns take any value as JSON (a string becomes a JSON
 * string); binary takes bytes or base64 text.
 */
public final class ColumnWriter {

    private static final BigDecimal UNSIGNED_BIGINT_MAX = new BigDecimal(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
    private static final int UNLIMITED = ColumnRules.UNLIMITED;

    private final ColumnRules rules;
    private final TableSchema.Column column;
    private final ColumnKind kind;
    private final boolean untypedText;
    private final boolean temporalAsText;
    private final DateTimes dateTimes;
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
     * @param zone the time zone of text without an offset, and of instants written to columns without a zone
     */
    public ColumnWriter(ColumnRules rules, boolean untypedText, boolean temporalAsText, ZoneId zone) {
        this.rules = rules;
        this.column = rules.column();
        this.kind = rules.kind();
        this.untypedText = untypedText;
        this.temporalAsText = temporalAsText;
        this.dateTimes = new DateTimes(kind, zone);
        boolean text = kind == ColumnKind.TEXT || kind == ColumnKind.JSON || kind == ColumnKind.OTHER;
        this.nullType = untypedText && text ? Types.OTHER : column.jdbcType();
        this.min = rules.min();
        this.max = rules.max();
        this.unsigned64 = kind == ColumnKind.INTEGER && rules.unsigned64();
        this.precision = rules.precision();
        this.scale = rules.scale();
        this.maxChars = rules.maxChars();
        this.maxBytes = rules.maxBytes();
    }

    public TableSchema.Column column() {
        return column;
    }

    public ColumnKind kind() {
        return kind;
    }

    public ColumnRules rules() {
        return rules;
    }

    /** The value to bind for this column; throws with a reason when the value cannot be written to it. */
    public Object coerce(Object v) throws CoercionException {
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
                case DATE, TIMESTAMP, TIMESTAMP_TZ -> {
                    if (!(v instanceof Long || v instanceof BigDecimal || v instanceof String)) throw notFor(v);
                    yield checkDay(dateTimes.toDateTime(v));
                }
                case TIME -> {
                    if (!(v instanceof String s)) throw notFor(v);
                    yield DateTimes.toTime(s);
                }
                case OTHER -> toOther(v);
            };
        } catch (ValueRefused r) {
            throw new CoercionException("column " + column.name() + " (" + typeText() + ") cannot take " + describe(v) + ": "
                    + r.getMessage());
        }
    }

    public void bind(PreparedStatement ps, int i, Object v) throws SQLException {
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
                if (temporalAsText) ps.setString(i, TemporalText.of(v));
                else ps.setObject(i, v);
            }
            case BINARY -> ps.setBytes(i, (byte[]) v);
            case TEXT, JSON, OTHER -> {
                if (untypedText) ps.setObject(i, v, Types.OTHER);
                else ps.setString(i, (String) v);
            }
        }
    }

    private Object toInteger(Object v) throws ValueRefused {
        long l;
        if (v instanceof Long x) l = x;
        else if (v instanceof Boolean b) l = b ? 1 : 0;
        else if (v instanceof BigDecimal d) return integral(d);
        else if (v instanceof Double d) {
            if (!Double.isFinite(d)) throw new ValueRefused("not a finite number");
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

    private Object integral(BigDecimal d) throws ValueRefused {
        BigDecimal s = d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        if (s.scale() > 0) throw new ValueRefused("has a fractional part");
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

    private ValueRefused outOfRange() {
        String range = unsigned64 ? "0.." + UNSIGNED_BIGINT_MAX : min + ".." + max;
        return new ValueRefused("out of range " + range);
    }

    private BigDecimal toDecimal(Object v) throws ValueRefused {
        BigDecimal d;
        if (v instanceof BigDecimal x) d = x;
        else if (v instanceof Long l) d = BigDecimal.valueOf(l);
        else if (v instanceof Double x) {
            if (!Double.isFinite(x)) throw new ValueRefused("not a finite number");
            d = BigDecimal.valueOf(x);
        } else if (v instanceof String s) d = parseNumber(s.strip());
        else throw notFor(v);
        int intDigits = d.precision() - d.scale();
        if (precision == 0) { // unconstrained NUMERIC: PostgreSQL's own limits
            if (intDigits > 131_072 || d.scale() > 16_383) throw new ValueRefused("outside the NUMERIC range");
            return d;
        }
        if (intDigits > precision - scale) {
            throw new ValueRefused("has " + intDigits + " digits before the decimal point, the column allows " + (precision - scale));
        }
        if (-intDigits > scale) return BigDecimal.ZERO.setScale(scale); // smaller than half the last digit
        BigDecimal r = d.setScale(scale, RoundingMode.HALF_UP);
        if (r.precision() - r.scale() > precision - scale) {
            throw new ValueRefused("rounds to " + r.toPlainString() + ", more digits than the column allows");
        }
        return r;
    }

    private static BigDecimal parseNumber(String t) throws ValueRefused {
        BigDecimal plain = PlainDecimal.parse(t);
        if (plain != null) return plain;
        if (t.length() > 1000) throw new ValueRefused("not a number");
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new ValueRefused("not a number");
        }
    }

    private Double toDouble(Object v) throws ValueRefused {
        double x;
        if (v instanceof Double d) x = d;
        else if (v instanceof Long l) x = l;
        else if (v instanceof BigDecimal d) x = d.doubleValue();
        else if (v instanceof String s) x = parseNumber(s.strip()).doubleValue();
        else throw notFor(v);
        if (!Double.isFinite(x)) throw new ValueRefused(v instanceof Double ? "not a finite number" : "out of range");
        if (kind == ColumnKind.REAL && Math.abs(x) > Float.MAX_VALUE) throw new ValueRefused("out of range of a 4-byte float");
        return x;
    }

    private Boolean toBoolean(Object v) throws ValueRefused {
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
                    throw new ValueRefused("not a boolean (true/false, 1/0, yes/no)");
            }
        }
        if (v instanceof Long || v instanceof BigDecimal) throw new ValueRefused("only 1 and 0 are booleans");
        throw notFor(v);
    }

    /** A date or time stamp outside the days the column holds is refused, never clamped (PostgreSQL: -infinity). */
    private Object checkDay(Object v) throws ValueRefused {
        if (rules.minDate() == null && rules.maxDate() == null) return v;
        LocalDate day = v instanceof LocalDate d ? d
                : v instanceof LocalDateTime t ? t.toLocalDate()
                : ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
        if (rules.minDate() != null && day.isBefore(rules.minDate()) || rules.maxDate() != null && day.isAfter(rules.maxDate())) {
            throw new ValueRefused("out of range: the column holds " + dayText(rules.minDate()) + " to " + dayText(rules.maxDate()));
        }
        return v;
    }

    /** ISO days, with the era for years before 1 (year 0 is 1 BC): -4712-01-01 (4713 BC). */
    private static String dayText(LocalDate d) {
        if (d == null) return "any day";
        return d.getYear() > 0 ? d.toString() : d + " (" + (1 - d.getYear()) + " BC)";
    }

    private static String toText(Object v) {
        if (v instanceof String s) return s;
        if (v instanceof JsonText j) return j.json();
        if (v instanceof BigDecimal d) return Math.abs(d.scale()) < 100 ? d.toPlainString() : d.toString();
        if (v instanceof byte[] b) return Base64.getEncoder().encodeToString(b);
        return v.toString(); // Long, Double, Boolean
    }

    private String checkLength(String s) throws ValueRefused {
        if (s.length() > maxChars) {
            int chars = s.codePointCount(0, s.length());
            if (chars > maxChars) throw new ValueRefused(chars + " characters, the column holds " + maxChars);
        }
        if (maxBytes != UNLIMITED && (long) s.length() * 3 > maxBytes) {
            long bytes = utf8Length(s);
            if (bytes > maxBytes) throw new ValueRefused(bytes + " bytes of UTF-8, the column holds " + maxBytes);
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

    private static String toJson(Object v) throws ValueRefused {
        if (v instanceof JsonText j) return j.json();
        if (v instanceof String s) return quoted(s);
        if (v instanceof byte[] b) return quoted(Base64.getEncoder().encodeToString(b));
        if (v instanceof Double d && !Double.isFinite(d)) throw new ValueRefused("JSON has no " + d);
        return v.toString(); // Long, BigDecimal (JSON allows exponents), Double, Boolean
    }

    private static String quoted(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    private byte[] toBytes(Object v) throws ValueRefused {
        byte[] b;
        if (v instanceof byte[] x) b = x;
        else if (v instanceof String s) {
            try {
                b = Base64.getDecoder().decode(s.strip());
            } catch (IllegalArgumentException e) {
                throw new ValueRefused("binary columns take base64 text");
            }
        } else throw notFor(v);
        if (b.length > maxBytes) throw new ValueRefused(b.length + " bytes, the column holds " + maxBytes);
        return b;
    }

    private String toOther(Object v) throws ValueRefused {
        if (v instanceof byte[]) throw notFor(v);
        return toText(v);
    }

    private ValueRefused notFor(Object v) {
        return new ValueRefused("the column takes " + switch (kind) {
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
    public String typeText() {
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
