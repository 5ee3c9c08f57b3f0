package io.kwsync.sink.jdbc.dialect;

import io.kwsync.sink.jdbc.schema.TableSchema;

import java.sql.Types;

/**
 * What one column takes, as its database enforces it: how its values are coerced ({@link ColumnKind}) and the limits
 * a value must keep so that the row is refused by the sink, with a reason, rather than by the database. Decided once
 * per column by the dialect ({@link SqlDialect#rules}): {@link #standard} holds what the JDBC type says, and a dialect
 * adds what only its type names tell (MySQL's UNSIGNED, MEDIUMINT, YEAR, byte-sized TEXT...).
 *
 * @param min        smallest integer the column holds (INTEGER columns)
 * @param max        largest integer the column holds (INTEGER columns)
 * @param unsigned64 the column holds 0..2^64-1, beyond a Java long (MySQL BIGINT UNSIGNED, BIT(64))
 * @param precision  total digits of a DECIMAL column, 0 when unconstrained
 * @param scale      digits after the point of a DECIMAL column
 * @param maxChars   most characters of a text column, {@link #UNLIMITED} when the type does not say
 * @param maxBytes   most bytes (UTF-8 for text) of a binary or byte-sized text column, or {@link #UNLIMITED}
 */
public record ColumnRules(TableSchema.Column column, ColumnKind kind, long min, long max, boolean unsigned64,
                          int precision, int scale, int maxChars, int maxBytes) {

    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** The rules every SQL database shares for this JDBC type. */
    public static ColumnRules standard(TableSchema.Column c, ColumnKind kind) {
        long[] range = switch (c.jdbcType()) {
            case Types.TINYINT -> new long[]{Byte.MIN_VALUE, Byte.MAX_VALUE};
            case Types.SMALLINT -> new long[]{Short.MIN_VALUE, Short.MAX_VALUE};
            case Types.INTEGER -> new long[]{Integer.MIN_VALUE, Integer.MAX_VALUE};
            default -> new long[]{Long.MIN_VALUE, Long.MAX_VALUE};
        };
        int precision = kind == ColumnKind.DECIMAL ? Math.max(0, c.size()) : 0;
        int scale = kind == ColumnKind.DECIMAL ? Math.max(0, c.scale()) : 0;
        boolean charType = switch (c.jdbcType()) {
            case Types.CHAR, Types.VARCHAR, Types.NCHAR, Types.NVARCHAR -> true;
            default -> false;
        };
        int maxChars = kind == ColumnKind.TEXT && charType && limited(c) ? c.size() : UNLIMITED;
        int maxBytes = kind == ColumnKind.BINARY && limited(c) ? c.size() : UNLIMITED;
        return new ColumnRules(c, kind, range[0], range[1], false, precision, scale, maxChars, maxBytes);
    }

    /** Whether the metadata gives the column a real size (0 and the largest int mean unknown or unlimited). */
    public static boolean limited(TableSchema.Column c) {
        return c.size() > 0 && c.size() < UNLIMITED;
    }

    public ColumnRules withRange(long min, long max, boolean unsigned64) {
        return new ColumnRules(column, kind, min, max, unsigned64, precision, scale, maxChars, maxBytes);
    }

    public ColumnRules withMaxChars(int chars) {
        return new ColumnRules(column, kind, min, max, unsigned64, precision, scale, chars, maxBytes);
    }

    public ColumnRules withMaxBytes(int bytes) {
        return new ColumnRules(column, kind, min, max, unsigned64, precision, scale, maxChars, bytes);
    }
}
