package io.kwsync.sink.maxcompute;

import com.aliyun.odps.OdpsType;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.type.AbstractCharTypeInfo;
import com.aliyun.odps.type.DecimalTypeInfo;
import com.aliyun.odps.type.TypeInfo;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Puts a row's columns into an SDK {@link Record} of the table: by name (case-insensitive), or by position for
 * columns named {@code #i} (the key-value layout's CSV fields: {@code #0} is the table's first data column). Values
 * convert where nothing is lost (a Long into BIGINT, INT or DECIMAL, text into STRING or BINARY, a number into
 * STRING; lengths, precisions, date-times, JSON and nested types in {@link TypedValues}); anything else refuses the
 * row with a reason. Columns the row does not fill are NULL.
 *
 * <p>One filler serves the rows of one batch into one reused record, so that a row costs no objects of its own: the
 * columns are visited in place ({@link Map#forEach}) rather than through entry objects. Not thread-safe.
 */
final class RecordFiller implements BiConsumer<String, Object> {

    /** The row cannot go into this table; carries the reason for the error topic. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }

        DirtyRecordException dirty(String table) {
            return new DirtyRecordException(DirtyRecordException.Stage.WRITE, "table " + table + " refused the row: " + getMessage());
        }
    }

    private final TableInfo t;
    private final Record record;
    /**
     * A plain ArrayRecord of the table's data columns is emptied at once; any other record (a subclass, or one holding
     * more values than the data columns) column by column through the SDK, which leaves its other values alone.
     */
    private final boolean plain;
    private int unknown;
    private Refused refused;
    /**
     * The column index found for the name at each place of the previous row: the rows of a batch name their columns
     * in the same order with the same String instances (the row codec shares them), so a lookup is one comparison.
     */
    private String[] seenNames = new String[8];
    private int[] seenIndexes = new int[8];
    private int place;

    RecordFiller(TableInfo t, Record record) {
        this.t = t;
        this.record = record;
        this.plain = record.getClass() == ArrayRecord.class && record.getColumnCount() == t.columnCount();
    }

    /** Fills {@code record} (reused across rows) and returns how many of the row's columns match no table column. */
    static int fill(Record record, TableInfo t, Map<String, Object> columns) throws Refused {
        return new RecordFiller(t, record).fill(columns);
    }

    /** Fills the record with one row; returns how many of the row's columns match no table column. */
    int fill(Map<String, Object> columns) throws Refused {
        if (plain) ((ArrayRecord) record).clear();
        else for (int i = 0; i < t.columnCount(); i++) record.set(i, null);
        unknown = 0;
        refused = null;
        place = 0;
        columns.forEach(this);
        if (refused != null) throw refused;
        return unknown;
    }

    /** One column of the row; the first column refused refuses the row, and the rest are not looked at. */
    @Override
    public void accept(String name, Object v) {
        if (refused != null) return;
        try {
            int i = index(name);
            if (i < 0) {
                unknown++;
                return;
            }
            if (v == null) return;
            TypeInfo type = t.typeInfos[i];
            try {
                set(record, i, type, v);
            } catch (Refused | RuntimeException e) {
                throw new Refused("column " + t.columnName(i) + " (" + type.getTypeName() + "): " + e.getMessage());
            }
        } catch (Refused e) {
            refused = e;
        }
    }

    /** The table column of a row's column name: -1 when none; {@code #i} the data column at position i. */
    private int index(String name) throws Refused {
        int k = place++;
        if (k < seenNames.length && seenNames[k] == name) return seenIndexes[k];
        int i = name.startsWith("#") ? position(name, t) : t.indexOf(name);
        if (k >= seenNames.length) {
            seenNames = Arrays.copyOf(seenNames, Math.max(k + 1, seenNames.length * 2));
            seenIndexes = Arrays.copyOf(seenIndexes, seenNames.length);
        }
        seenNames[k] = name;
        seenIndexes[k] = i;
        return i;
    }

    private static int position(String name, TableInfo t) throws Refused {
        int p;
        try {
            p = Integer.parseInt(name.substring(1));
        } catch (NumberFormatException e) {
            return t.indexOf(name);
        }
        if (p >= t.columnCount()) {
            throw new Refused("field " + name + " has no column: the table has " + t.columnCount() + " data columns");
        }
        return p;
    }

    private static void set(Record r, int i, TypeInfo type, Object v) throws Refused {
        if (v instanceof byte[] b && type.getOdpsType() == OdpsType.STRING) r.setString(i, b); // bytes kept as they are
        else r.set(i, value(type, v));
    }

    /** The SDK's value of {@code type} for a row's value (also for the elements of ARRAY, MAP and STRUCT). */
    static Object value(TypeInfo type, Object v) throws Refused {
        return switch (type.getOdpsType()) {
            case STRING -> v instanceof JsonText j ? j.json() : v instanceof BigDecimal d ? d.toPlainString() : text(v);
            case VARCHAR -> TypedValues.chars((AbstractCharTypeInfo) type, text(v), true);
            case CHAR -> TypedValues.chars((AbstractCharTypeInfo) type, text(v), false);
            case BINARY -> new Binary(v instanceof byte[] b ? b : text(v).getBytes(StandardCharsets.UTF_8));
            case BIGINT -> v instanceof Long ? v : (Object) integer(v, Long.MIN_VALUE, Long.MAX_VALUE); // a Long as it is, not boxed again
            case INT -> (int) integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case SMALLINT -> (short) integer(v, Short.MIN_VALUE, Short.MAX_VALUE);
            case TINYINT -> (byte) integer(v, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case DOUBLE -> number(v).doubleValue();
            case FLOAT -> number(v).floatValue();
            case DECIMAL -> TypedValues.decimal((DecimalTypeInfo) type, number(v));
            case BOOLEAN -> {
                if (v instanceof Boolean b) yield b;
                if ("true".equalsIgnoreCase(text(v)) || "false".equalsIgnoreCase(text(v))) yield Boolean.parseBoolean(text(v));
                throw new Refused("'" + v + "' is not a boolean");
            }
            case DATETIME -> Date.from(TypedValues.instant(v));
            case TIMESTAMP -> TypedValues.timestamp(v);
            case TIMESTAMP_NTZ -> TypedValues.localDateTime(v);
            case DATE -> {
                try {
                    yield LocalDate.parse(text(v));
                } catch (RuntimeException e) {
                    throw new Refused("'" + v + "' is not a date yyyy-MM-dd");
                }
            }
            case JSON -> TypedValues.json(v);
            case ARRAY, MAP, STRUCT -> TypedValues.nested(type, v);
            default -> throw new Refused("the sink does not write " + type.getTypeName() + " columns");
        };
    }

    private static long integer(Object v, long min, long max) throws Refused {
        long l;
        if (v instanceof Long x) l = x;
        else if (v instanceof BigDecimal d) {
            try {
                l = d.longValueExact();
            } catch (ArithmeticException e) {
                throw new Refused(d + " is not an integer in range");
            }
        } else if (v instanceof String s) {
            try {
                l = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new Refused("'" + s + "' is not an integer");
            }
        } else throw new Refused("a " + kind(v) + " is not an integer");
        if (l < min || l > max) throw new Refused(l + " is out of range");
        return l;
    }

    private static BigDecimal number(Object v) throws Refused {
        if (v instanceof BigDecimal d) return d;
        if (v instanceof Long l) return BigDecimal.valueOf(l);
        if (v instanceof Double d) return BigDecimal.valueOf(d);
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.trim());
            } catch (NumberFormatException e) {
                throw new Refused("'" + s + "' is not a number");
            }
        }
        throw new Refused("a " + kind(v) + " is not a number");
    }

    private static String text(Object v) throws Refused {
        if (v instanceof String s) return s;
        if (v instanceof JsonText j) return j.json();
        if (v instanceof byte[]) throw new Refused("bytes are not text");
        return v.toString();
    }

    static String kind(Object v) {
        return v instanceof byte[] ? "byte array" : v instanceof JsonText ? "JSON structure" : v.getClass().getSimpleName();
    }
}
