package io.kwsync.ingest.tables;

import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A JDBC column's value as the plain Java value the Kafka Writer's record building takes: integers as Long
 * (BigInteger beyond), DECIMAL as BigDecimal, REAL as Float, FLOAT and DOUBLE as Double, dates and times as
 * java.time values (with a time zone: OffsetDateTime), binary as byte[], arrays as List, anything else (JSON, UUID,
 * intervals) as its text. SQL NULL is null.
 */
final class JdbcValues {

    private JdbcValues() {
    }

    static Object read(ResultSet rs, int i, int type, String typeName) throws SQLException {
        Object v = switch (type) {
            case Types.BOOLEAN -> rs.getBoolean(i);
            case Types.BIT -> rs.getObject(i); // BIT(1): Boolean; longer bit strings: bytes
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> rs.getLong(i);
            case Types.BIGINT -> integer(rs.getObject(i));
            case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(i);
            case Types.REAL -> rs.getFloat(i);
            case Types.FLOAT, Types.DOUBLE -> rs.getDouble(i);
            case Types.DATE -> rs.getObject(i, LocalDate.class);
            case Types.TIME -> rs.getObject(i, LocalTime.class);
            case Types.TIMESTAMP -> zoned(typeName) ? rs.getObject(i, OffsetDateTime.class) : rs.getObject(i, LocalDateTime.class);
            case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(i, OffsetDateTime.class);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> rs.getBytes(i);
            case Types.ARRAY -> array(rs.getArray(i));
            default -> rs.getString(i);
        };
        return rs.wasNull() ? null : v;
    }

    private static boolean zoned(String typeName) {
        return typeName != null && typeName.toLowerCase(Locale.ROOT).equals("timestamptz");
    }

    /** BIGINT UNSIGNED comes as BigInteger; a value that fits is a Long like every other integer. */
    private static Object integer(Object v) {
        if (v instanceof BigInteger b && b.bitLength() < 64) return b.longValue();
        if (v instanceof Integer i) return i.longValue();
        return v;
    }

    private static List<Object> array(Array a) throws SQLException {
        if (a == null) return null;
        Object[] values = (Object[]) a.getArray();
        List<Object> out = new ArrayList<>(values.length);
        for (Object v : values) out.add(v instanceof java.sql.Timestamp t ? t.toLocalDateTime() : v);
        return out;
    }
}
