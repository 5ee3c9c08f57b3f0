package io.kwsync.sink.jdbc.dialect;

import io.kwsync.sink.jdbc.schema.TableSchema;

import java.sql.Types;
import java.util.Locale;

/** How values are coerced for a column, decided once from its JDBC type and type name by the dialect. */
public enum ColumnKind {
    BOOLEAN, INTEGER, DECIMAL, REAL, DOUBLE, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, TEXT, JSON, BINARY,
    /** Types the sink does not know (uuid, inet, enums, arrays, intervals): text, parsed by the database. */
    OTHER;

    /** The rule from the JDBC type alone; a dialect decides differently for its own types ({@link SqlDialect#kind}). */
    public static ColumnKind of(TableSchema.Column c) {
        String type = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
        if (type.equals("json")) return JSON;
        return switch (c.jdbcType()) {
            case Types.BOOLEAN, Types.BIT -> BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
            case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
            case Types.REAL -> REAL;
            case Types.FLOAT, Types.DOUBLE -> DOUBLE;
            case Types.DATE -> DATE;
            case Types.TIME -> TIME;
            case Types.TIMESTAMP -> TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> TEXT;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
            default -> OTHER;
        };
    }
}
