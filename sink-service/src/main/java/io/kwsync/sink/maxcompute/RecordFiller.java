package io.kwsync.sink.maxcompute;

import com.aliyun.odps.OdpsType;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Record;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Date;
import java.util.Map;

/**
 * Puts a row's columns into an SDK {@link Record} of the table: by name (case-insensitive), or by position for
 * columns named {@code #i} (the key-value layout's CSV fields: {@code #0} is the table's first data column). Values
 * convert where nothing is lost (a Long into BIGINT, INT or DECIMAL, text into STRING or BINARY, a number into
 * STRING); anything else refuses the row with a reason. Columns the row does not fill are NULL.
 */
final class RecordFiller {

    /** The row cannot go into this table; carries the reason for the error topic. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }

        DirtyRecordException dirty(String table) {
            return new DirtyRecordException(DirtyRecordException.Stage.WRITE, "table " + table + " refused the row: " + getMessage());
        }
    }

    private RecordFiller() {
    }

    /** Fills {@code record} (reused across rows) and returns how many of the row's columns match no table column. */
    static int fill(Record record, TableInfo t, Map<String, Object> columns) throws Refused {
        for (int i = 0; i < t.columnCount(); i++) record.set(i, null);
        int unknown = 0;
        for (Map.Entry<String, Object> c : columns.entrySet()) {
            String name = c.getKey();
            int i = name.startsWith("#") ? position(name, t) : t.indexOf(name);
            if (i < 0) {
                unknown++;
                continue;
            }
            Object v = c.getValue();
            if (v == null) continue;
            try {
                set(record, i, t.types[i], v);
            } catch (Refused e) {
                throw new Refused("column " + t.columnName(i) + " (" + t.types[i] + "): " + e.getMessage());
            } catch (RuntimeException e) {
                throw new Refused("column " + t.columnName(i) + " (" + t.types[i] + "): " + e.getMessage());
            }
        }
        return unknown;
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

    private static void set(Record r, int i, OdpsType type, Object v) throws Refused {
        switch (type) {
            case STRING, VARCHAR, CHAR -> {
                if (v instanceof byte[] b) r.setString(i, b);
                else if (v instanceof JsonText j) r.set(i, j.json());
                else if (v instanceof BigDecimal d) r.set(i, d.toPlainString());
                else r.set(i, v.toString());
            }
            case BINARY -> r.set(i, new Binary(v instanceof byte[] b ? b : text(v).getBytes(StandardCharsets.UTF_8)));
            case BIGINT -> r.set(i, integer(v, Long.MIN_VALUE, Long.MAX_VALUE));
            case INT -> r.set(i, (int) integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case SMALLINT -> r.set(i, (short) integer(v, Short.MIN_VALUE, Short.MAX_VALUE));
            case TINYINT -> r.set(i, (byte) integer(v, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case DOUBLE -> r.set(i, number(v).doubleValue());
            case FLOAT -> r.set(i, number(v).floatValue());
            case DECIMAL -> r.set(i, number(v));
            case BOOLEAN -> {
                if (v instanceof Boolean b) r.set(i, b);
                else if ("true".equalsIgnoreCase(text(v)) || "false".equalsIgnoreCase(text(v))) r.set(i, Boolean.parseBoolean(text(v)));
                else throw new Refused("'" + v + "' is not a boolean");
            }
            case DATETIME -> r.set(i, new Date(epochMillis(v)));
            case TIMESTAMP -> r.set(i, new Timestamp(epochMillis(v)));
            case DATE -> {
                try {
                    r.set(i, LocalDate.parse(text(v)));
                } catch (RuntimeException e) {
                    throw new Refused("'" + v + "' is not a date yyyy-MM-dd");
                }
            }
            default -> throw new Refused("the sink does not write " + type + " columns");
        }
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

    private static long epochMillis(Object v) throws Refused {
        if (v instanceof Long l) return l;
        throw new Refused("expects epoch milliseconds, got a " + kind(v));
    }

    private static String text(Object v) throws Refused {
        if (v instanceof String s) return s;
        if (v instanceof JsonText j) return j.json();
        if (v instanceof byte[]) throw new Refused("bytes are not text");
        return v.toString();
    }

    private static String kind(Object v) {
        return v instanceof byte[] ? "byte array" : v instanceof JsonText ? "JSON structure" : v.getClass().getSimpleName();
    }
}
